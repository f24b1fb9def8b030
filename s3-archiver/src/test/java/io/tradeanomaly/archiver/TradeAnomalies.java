package io.tradeanomaly.archiver;

import io.tradeanomaly.common.record.Anomaly;
import io.tradeanomaly.common.record.AnomalyLayout;
import io.tradeanomaly.common.record.FeatureExplanation;
import io.tradeanomaly.common.record.InputSchema;
import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.common.trade.Trade;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** Anomaly records of trades, as the detector publishes them with its default settings, for the archiver's tests. */
public final class TradeAnomalies {

    private static final InputSchema TRADES = InputSchema.trades();
    private static final AnomalyLayout LAYOUT = AnomalyLayout.of(TRADES, null);

    private TradeAnomalies() {}

    public static Anomaly of(
            Trade trade,
            double score,
            Map<String, FeatureExplanation> explanation,
            Instant detectedAt,
            Anomaly.Source source) {
        return LAYOUT.anomaly(
                TRADES.read(JsonRecords.mapper().valueToTree(trade)), score, explanation, detectedAt, source);
    }

    /** The same trade scored again: another score, detection time, source, or a price changed by a factor. */
    public static Anomaly rescored(
            Anomaly anomaly, double priceFactor, double score, Instant detectedAt, Anomaly.Source source) {
        ObjectNode fields = anomaly.record().deepCopy();
        Anomaly.OUTPUT_FIELDS.forEach(fields::remove);
        fields.put("price", fields.get("price").doubleValue() * priceFactor);
        return LAYOUT.anomaly(TRADES.read(fields), score, anomaly.explanation(), detectedAt, source);
    }

    public static String ticker(Anomaly anomaly) {
        return anomaly.key();
    }

    public static long id(Anomaly anomaly) {
        return anomaly.record().get("id").longValue();
    }
}
