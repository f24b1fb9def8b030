package io.tradeanomaly.detector.web;

import io.tradeanomaly.common.record.Anomaly;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * The most recent published anomalies in a bounded ring; thread-safe. They are listed in KDA's order, newest first:
 * by the second the record arrived on the input stream (KDA's ROWTIME), newest second first, and within a second by
 * score, highest first — whatever batch or shard they came from.
 */
public class RecentAnomalies {

    /** Newest arrival second first, then highest score first. */
    static final Comparator<Anomaly> NEWEST_FIRST = Comparator.comparingLong(RecentAnomalies::second)
            .reversed()
            .thenComparing(Anomaly::anomalyScore, Comparator.reverseOrder());

    private final int capacity;
    private final Deque<Anomaly> ring;
    private final KeyTally keys = new KeyTally();

    public RecentAnomalies(int capacity) {
        this.capacity = capacity;
        this.ring = new ArrayDeque<>(capacity);
    }

    /** Adds published anomalies; the oldest are dropped beyond the capacity. */
    public synchronized void addAll(Collection<Anomaly> anomalies) {
        keys.addAll(anomalies);
        for (Anomaly anomaly : anomalies) {
            if (ring.size() == capacity) {
                ring.removeFirst();
            }
            ring.addLast(anomaly);
        }
    }

    /** Up to {@code limit} anomalies in KDA's order, newest first. */
    public List<Anomaly> newest(int limit) {
        return newest(limit, null);
    }

    /** Up to {@code limit} anomalies of one key (all keys when null) in KDA's order, newest first. */
    public List<Anomaly> newest(int limit, String key) {
        List<Anomaly> all;
        synchronized (this) {
            all = key == null
                    ? new ArrayList<>(ring)
                    : new ArrayList<>(
                            ring.stream().filter(a -> key.equals(a.key())).toList());
        }
        all.sort(NEWEST_FIRST);
        return all.subList(0, Math.min(limit, all.size()));
    }

    /** Anomalies per key since this detector started (not only those still in the ring), most first. */
    public List<KeyTally.Line> perKey() {
        return keys.lines();
    }

    public int capacity() {
        return capacity;
    }

    private static long second(Anomaly anomaly) {
        Instant time = anomaly.arrivalTime() != null ? anomaly.arrivalTime() : anomaly.detectedAt();
        return time == null ? 0 : time.getEpochSecond();
    }
}
