package io.tradeanomaly.producer.settings;

import io.tradeanomaly.producer.generator.FactorRange;

/**
 * A partial update of {@link ProducerSettings}: absent (null) fields keep their current value. Unknown fields are
 * rejected by the JSON reader.
 */
public record SettingsUpdate(
        Integer recordsPerTick,
        Long tickIntervalMs,
        Double outlierRate,
        FactorRange priceFactor,
        FactorRange quantityFactor,
        Boolean running) {

    ProducerSettings applyTo(ProducerSettings current) {
        return new ProducerSettings(
                recordsPerTick != null ? recordsPerTick : current.recordsPerTick(),
                tickIntervalMs != null ? tickIntervalMs : current.tickIntervalMs(),
                outlierRate != null ? outlierRate : current.outlierRate(),
                priceFactor != null ? priceFactor : current.priceFactor(),
                quantityFactor != null ? quantityFactor : current.quantityFactor(),
                running != null ? running : current.running());
    }
}
