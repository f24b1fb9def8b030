package io.tradeanomaly.deployment;

import java.util.stream.DoubleStream;

/** Samples of a metric in Prometheus' text format, as an actuator's {@code /actuator/prometheus} serves it. */
final class PrometheusSamples {

    private PrometheusSamples() {}

    /**
     * The values of every sample whose name (with its labels) starts with {@code name}: {@code name} alone, or
     * {@code name{labels}}; a label set written out in {@code name} picks exactly that sample.
     */
    static DoubleStream values(String text, String name) {
        return text.lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)));
    }
}
