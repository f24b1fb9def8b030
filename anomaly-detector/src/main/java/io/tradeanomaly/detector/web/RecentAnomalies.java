package io.tradeanomaly.detector.web;

import io.tradeanomaly.common.trade.Anomaly;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/** The most recent published anomalies, newest first, in a bounded ring; thread-safe. */
public class RecentAnomalies {

    private final int capacity;
    private final Deque<Anomaly> ring;

    public RecentAnomalies(int capacity) {
        this.capacity = capacity;
        this.ring = new ArrayDeque<>(capacity);
    }

    /** Adds a published batch (in its publication order). */
    public synchronized void addAll(Collection<Anomaly> anomalies) {
        for (Anomaly anomaly : anomalies) {
            if (ring.size() == capacity) {
                ring.removeLast();
            }
            ring.addFirst(anomaly);
        }
    }

    /** Up to {@code limit} anomalies, newest first. */
    public synchronized List<Anomaly> newest(int limit) {
        List<Anomaly> result = new ArrayList<>(Math.min(limit, ring.size()));
        Iterator<Anomaly> it = ring.iterator();
        while (it.hasNext() && result.size() < limit) {
            result.add(it.next());
        }
        return result;
    }

    public int capacity() {
        return capacity;
    }
}
