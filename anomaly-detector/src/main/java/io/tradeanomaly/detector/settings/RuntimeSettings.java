package io.tradeanomaly.detector.settings;

/**
 * What of the detector's settings can change at runtime, as its replicas share them.
 *
 * @param threshold the fixed threshold, or the floor of the adaptive cut-off
 */
public record RuntimeSettings(double threshold) {}
