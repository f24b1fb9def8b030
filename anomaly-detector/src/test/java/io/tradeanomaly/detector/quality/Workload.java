package io.tradeanomaly.detector.quality;

/** One row of the quality matrix: a shape of normal trades with a kind of outliers. */
public record Workload(Shape shape, OutlierKind outliers) {

    public String name() {
        return shape.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "/"
                + outliers.name().toLowerCase(java.util.Locale.ROOT);
    }
}
