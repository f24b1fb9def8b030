package io.tradeanomaly.producer.generator;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import java.util.random.RandomGenerator;

/**
 * A multiplier range for inflating outliers.
 *
 * @param min smallest factor, &gt; 1
 * @param max largest factor, &ge; min
 */
public record FactorRange(
        @DecimalMin(value = "1", inclusive = false, message = "must be > 1") @DecimalMax("1000")
        double min,

        @DecimalMin(value = "1", inclusive = false, message = "must be > 1") @DecimalMax("1000")
        double max) {

    @AssertTrue(message = "min must be <= max")
    public boolean isOrdered() {
        return min <= max;
    }

    double draw(RandomGenerator random) {
        return min == max ? min : min + random.nextDouble() * (max - min);
    }
}
