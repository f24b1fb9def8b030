package io.tradeanomaly.detector.consuming;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tradeanomaly.common.record.Anomaly;
import io.tradeanomaly.common.record.RejectReason;
import io.tradeanomaly.detector.scoring.ModelBudget;
import io.tradeanomaly.detector.settings.DetectorSettingsStore;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The detector's meters, shared by all shard processors. */
public class DetectorMetrics {

    private final MeterRegistry registry;
    private final Counter scored;
    private final DistributionSummary scores;
    private final Timer batches;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Map<String, Counter> labelled = new java.util.HashMap<>();
    private final ScoreWindow scoreWindow = new ScoreWindow(java.time.Duration.ofMinutes(10), 5000);

    public DetectorMetrics(MeterRegistry registry, DetectorSettingsStore settings, ModelBudget models) {
        this.registry = registry;
        this.scored =
                Counter.builder("trades.scored").description("Trades scored").register(registry);
        this.scores = DistributionSummary.builder("anomaly.score")
                .description("Anomaly scores of scored trades (warm-up excluded)")
                .serviceLevelObjectives(0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8)
                .register(registry);
        this.batches = Timer.builder("detector.batch")
                .description("Time to score, publish and checkpoint one KCL batch")
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder("detector.threshold", settings, DetectorSettingsStore::threshold)
                .description("The current threshold (fixed, or floor of the adaptive cut-off)")
                .register(registry);
        Gauge.builder("detector.models", models, ModelBudget::held)
                .description("Random Cut Forest models held in memory by this worker, across its shards")
                .register(registry);
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(
                    reason,
                    Counter.builder("records.rejected")
                            .description("Records not processed, by reason (dead-lettered)")
                            .tag("service", "anomaly-detector")
                            .tag("reason", reason.tag())
                            .register(registry));
        }
        for (String outcome : new String[] {"true-positive", "false-positive", "false-negative", "true-negative"}) {
            labelled.put(
                    outcome,
                    Counter.builder("detector.labelled.trades")
                            .description(
                                    "Verdicts on trades carrying the simulator's injected label (live detection quality)")
                            .tag("outcome", outcome)
                            .register(registry));
        }
    }

    void scored(double score, boolean warmingUp, boolean anomaly) {
        scored.increment();
        if (!warmingUp) {
            scores.record(score);
            if (!anomaly) {
                scoreWindow.ordinary(score);
            }
        }
    }

    /** Anomalies handed on to the anomalies stream, for the live page's chart. */
    void published(List<Anomaly> anomalies) {
        scoreWindow.anomalies(anomalies);
    }

    /** Recent scores and anomalies, for the live page. */
    public ScoreWindow scoreWindow() {
        return scoreWindow;
    }

    /** Confusion counts of labelled trades; the label is read only here, after the verdict. */
    void labelled(boolean flagged, boolean injected) {
        String outcome = flagged
                ? (injected ? "true-positive" : "false-positive")
                : (injected ? "false-negative" : "true-negative");
        labelled.get(outcome).increment();
    }

    void rejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    Timer batches() {
        return batches;
    }

    MeterRegistry registry() {
        return registry;
    }
}
