package io.tradeanomaly.archiver.partitioning;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Remembers the trade ids seen within a horizon of arrival time, so that an anomaly the detector republished after a
 * crash of its own lands in the archive once. Time is the records' arrival time, not the wall clock, so that a replay
 * drops the same records. Not thread-safe; memory is bounded by the ids of one horizon.
 */
public final class DuplicateFilter {

    private final Duration horizon;
    private final Set<Long> ids = new HashSet<>();
    private final Deque<Seen> order = new ArrayDeque<>();

    public DuplicateFilter(Duration horizon) {
        this.horizon = horizon;
    }

    /** True the first time an id is seen within the horizon; false for a repeat, which should be dropped. */
    public boolean firstSeen(long id, Instant arrival) {
        Instant cutoff = arrival.minus(horizon);
        while (!order.isEmpty() && order.peekFirst().arrival().isBefore(cutoff)) {
            ids.remove(order.removeFirst().id());
        }
        if (!ids.add(id)) {
            return false;
        }
        order.addLast(new Seen(id, arrival));
        return true;
    }

    public int size() {
        return ids.size();
    }

    private record Seen(long id, Instant arrival) {}
}
