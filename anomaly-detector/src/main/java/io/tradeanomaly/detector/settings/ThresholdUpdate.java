package io.tradeanomaly.detector.settings;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;

/**
 * A change of the detector's runtime settings.
 *
 * @param threshold new threshold: finite and &gt; 0
 */
public record ThresholdUpdate(
        @NotNull(message = "is required")
        @DecimalMin(value = "0", inclusive = false, message = "must be > 0")
        @DecimalMax(value = "1e6", message = "must be <= 1000000 (finite)")
        Double threshold) {}
