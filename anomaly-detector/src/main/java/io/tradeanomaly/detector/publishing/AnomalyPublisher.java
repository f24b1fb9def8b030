package io.tradeanomaly.detector.publishing;

import io.tradeanomaly.common.record.Anomaly;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Hands anomalies on to the anomalies stream. */
public interface AnomalyPublisher {

    /**
     * Publishes the anomalies in order, retrying what fails while {@code keepTrying} holds.
     *
     * @return true when every anomaly was accepted; false when it gave up because {@code keepTrying} turned false
     */
    boolean publish(List<Anomaly> anomalies, BooleanSupplier keepTrying);
}
