package io.tradeanomaly.detector.publishing;

import io.tradeanomaly.common.record.Anomaly;
import java.util.List;

/**
 * Hands anomalies on to the anomalies stream. One attempt per call; the shard processor retries what was not accepted
 * with its owner-bounded hand-off.
 */
@FunctionalInterface
public interface AnomalyPublisher {

    /**
     * Puts each anomaly once, in order.
     *
     * @return the anomalies not accepted (empty when all were), in their order, for the caller to retry
     */
    List<Anomaly> publish(List<Anomaly> anomalies);
}
