package io.tradeanomaly.detector.web;

import io.tradeanomaly.common.record.Anomaly;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Anomalies per key since this detector started: how many, and the latest (by arrival on the input stream, then by
 * detection). Thread-safe. Bounded by the number of keys, which the detector's models bound already.
 */
public class KeyTally {

    /**
     * One key's line.
     *
     * @param key the value of the key field ({@code ""} when the stream has one model)
     * @param count anomalies published for it since this detector started
     * @param latest the newest of them
     */
    public record Line(String key, long count, Anomaly latest) {}

    /** Most anomalies first, then by key. */
    static final Comparator<Line> MOST_FIRST =
            Comparator.comparingLong(Line::count).reversed().thenComparing(Line::key);

    private static final Comparator<Anomaly> NEWER = Comparator.comparing(
                    (Anomaly a) -> a.arrivalTime() != null ? a.arrivalTime() : a.detectedAt(),
                    Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Anomaly::detectedAt, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final Map<String, Line> lines = new HashMap<>();

    public synchronized void addAll(Collection<Anomaly> anomalies) {
        for (Anomaly anomaly : anomalies) {
            lines.merge(
                    anomaly.key(),
                    new Line(anomaly.key(), 1, anomaly),
                    (old, one) -> new Line(
                            old.key(),
                            old.count() + 1,
                            NEWER.compare(anomaly, old.latest()) >= 0 ? anomaly : old.latest()));
        }
    }

    /** Every key with anomalies, most anomalies first. */
    public List<Line> lines() {
        List<Line> all;
        synchronized (this) {
            all = new ArrayList<>(lines.values());
        }
        all.sort(MOST_FIRST);
        return all;
    }
}
