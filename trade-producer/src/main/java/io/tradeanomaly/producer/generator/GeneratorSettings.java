package io.tradeanomaly.producer.generator;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;

/**
 * What a trade looks like: the share of inflated outliers and how much they are inflated.
 *
 * @param outlierRate probability that a trade is an inflated outlier, in [0, 1]
 * @param priceFactor multiplier range applied to an outlier's price
 * @param quantityFactor multiplier range applied to an outlier's quantity
 */
public record GeneratorSettings(
        @DecimalMin("0") @DecimalMax("1") double outlierRate,
        @NotNull @Valid FactorRange priceFactor,
        @NotNull @Valid FactorRange quantityFactor) {

    public static GeneratorSettings defaults() {
        return new GeneratorSettings(0.05, new FactorRange(2, 5), new FactorRange(10, 50));
    }
}
