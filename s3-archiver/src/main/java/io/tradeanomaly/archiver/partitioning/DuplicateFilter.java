package io.tradeanomaly.archiver.partitioning;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Remembers the anomaly identities seen within a horizon, so that an anomaly the detector republished (after a crash,
 * a lost lease, an outage) lands in the archive once. Time is the data's: each anomaly's source record's arrival on
 * the trades stream, on the clock of its source shard (the latest such arrival seen from that shard), never the wall
 * clock nor when the anomaly reached the anomalies stream. A detector replays a shard from its last checkpoint, in
 * order, so what it republishes comes right after what this filter last saw from that shard, however long the
 * detector was down and however far other shards have moved on. An identity is forgotten once its source shard's clock
 * is more than the horizon past its second: a replay, or a filter seeded from the archive's objects, drops exactly the
 * same records. Not thread-safe; memory is bounded by the identities of one horizon per source shard.
 */
public final class DuplicateFilter {

    /** What an identity is. */
    public enum Verdict {
        /** Seen for the first time. */
        FIRST,
        /** Seen before within the horizon: drop it. */
        REPEAT,
        /**
         * Seen for the first time, but more than the horizon behind its source shard's clock: had it been archived
         * before, that could no longer be told. Counted, so that a horizon too short for the data shows.
         */
        LATE
    }

    private final Duration horizon;
    private final Set<String> ids = new HashSet<>();
    private final Map<String, Origin> origins = new HashMap<>();

    public DuplicateFilter(Duration horizon) {
        this.horizon = horizon;
    }

    /**
     * Checks an identity and remembers it.
     *
     * @param identity the anomaly's identity
     * @param origin its source shard ("" when unknown)
     * @param time its source record's arrival time (the anomaly's own arrival when unknown)
     */
    public Verdict check(String identity, String origin, Instant time) {
        Origin at = origins.computeIfAbsent(origin, k -> new Origin());
        Instant second = time.truncatedTo(ChronoUnit.SECONDS);
        if (at.advance(second)) {
            expire(at);
        }
        if (ids.contains(identity)) {
            return Verdict.REPEAT;
        }
        ids.add(identity);
        at.seen.add(new Seen(identity, second));
        return second.isBefore(at.clock.minus(horizon)) ? Verdict.LATE : Verdict.FIRST;
    }

    /** Remembers an identity archived before (seeding from the archive). */
    public void remember(String identity, String origin, Instant time) {
        Origin at = origins.computeIfAbsent(origin, k -> new Origin());
        Instant second = time.truncatedTo(ChronoUnit.SECONDS);
        at.advance(second);
        if (ids.add(identity)) {
            at.seen.add(new Seen(identity, second));
        }
    }

    public int size() {
        return ids.size();
    }

    private void expire(Origin origin) {
        Instant cutoff = origin.clock.minus(horizon);
        while (!origin.seen.isEmpty() && origin.seen.peek().second().isBefore(cutoff)) {
            ids.remove(origin.seen.poll().identity());
        }
    }

    private record Seen(String identity, Instant second) {}

    /** One source shard: its clock and what was seen from it, oldest first. */
    private static final class Origin {
        final PriorityQueue<Seen> seen = new PriorityQueue<>(Comparator.comparing(Seen::second));
        Instant clock;

        /** Moves the clock forward; true when it moved. */
        boolean advance(Instant second) {
            if (clock == null || second.isAfter(clock)) {
                clock = second;
                return true;
            }
            return false;
        }
    }
}
