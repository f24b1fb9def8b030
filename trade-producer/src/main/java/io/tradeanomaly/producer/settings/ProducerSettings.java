package io.tradeanomaly.producer.settings;

import io.tradeanomaly.producer.generator.FactorRange;
import io.tradeanomaly.producer.generator.GeneratorSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The producer's runtime settings, readable and changeable over REST; a change takes effect from the next tick.
 *
 * @param recordsPerTick trades per tick, 1..10000
 * @param tickIntervalMs milliseconds between ticks, at least 10
 * @param outlierRate share of inflated outliers, in [0, 1]
 * @param priceFactor multiplier range for an outlier's price (min &gt; 1, min &le; max)
 * @param quantityFactor multiplier range for an outlier's quantity (min &gt; 1, min &le; max)
 * @param running whether ticks are emitted at all
 */
public record ProducerSettings(
        @Min(1) @Max(10000) int recordsPerTick,
        @Min(10) @Max(3_600_000) long tickIntervalMs,
        @DecimalMin("0") @DecimalMax("1") double outlierRate,
        @NotNull @Valid FactorRange priceFactor,
        @NotNull @Valid FactorRange quantityFactor,
        boolean running) {

    public GeneratorSettings generator() {
        return new GeneratorSettings(outlierRate, priceFactor, quantityFactor);
    }

    /** Trades per second these settings aim for. */
    public double recordsPerSecond() {
        return recordsPerTick * 1000.0 / tickIntervalMs;
    }
}
