package io.tradeanomaly.archiver.partitioning;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Remembers the anomaly identities seen within a horizon of arrival time, so that an anomaly the detector republished
 * after a crash of its own lands in the archive once. Time is the records' arrival minute, not the wall clock, and an
 * identity is forgotten only once a record arrives more than the horizon after its minute: a replay, or a filter
 * seeded from the archive's minute objects, drops exactly the same records. Not thread-safe; memory is bounded by the
 * identities of one horizon.
 */
public final class DuplicateFilter {

    private final Duration horizon;
    private final Set<String> ids = new HashSet<>();
    private final Deque<Seen> order = new ArrayDeque<>();

    public DuplicateFilter(Duration horizon) {
        this.horizon = horizon;
    }

    /** True the first time an identity is seen within the horizon; false for a repeat, which should be dropped. */
    public boolean firstSeen(String identity, Instant arrival) {
        Instant minute = arrival.truncatedTo(ChronoUnit.MINUTES);
        expireBefore(minute.minus(horizon));
        if (!ids.add(identity)) {
            return false;
        }
        order.addLast(new Seen(identity, minute));
        return true;
    }

    /** Remembers an identity archived in the given minute (seeding from the archive). */
    public void remember(String identity, Instant minute) {
        if (ids.add(identity)) {
            order.addLast(new Seen(identity, minute.truncatedTo(ChronoUnit.MINUTES)));
        }
    }

    public int size() {
        return ids.size();
    }

    private void expireBefore(Instant cutoff) {
        // seeded minutes may come in any order: expiry scans while the oldest entries are past the cutoff
        while (!order.isEmpty() && order.peekFirst().minute().isBefore(cutoff)) {
            ids.remove(order.removeFirst().identity());
        }
    }

    private record Seen(String identity, Instant minute) {}
}
