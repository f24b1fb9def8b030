package io.tradeanomaly.detector.quality;

/**
 * How injected outliers are inflated: price and quantity of a normal trade multiplied by factors drawn uniformly from
 * these ranges.
 */
public enum OutlierKind {
    /** The producer's defaults: price x U(2, 5), quantity x U(10, 50). */
    GROSS(2, 5, 10, 50),
    /** Subtle: price x U(1.3, 1.8), quantity x U(3, 8). */
    SUBTLE(1.3, 1.8, 3, 8),
    /** For the severity ranking: price x U(2, 5) with quantity always x 20. */
    PRICE_RANGE(2, 5, 20, 20),
    /** For the severity ranking: quantity x U(10, 50) with price always x 3. */
    QUANTITY_RANGE(3, 3, 10, 50);

    final double priceMin;
    final double priceMax;
    final double quantityMin;
    final double quantityMax;

    OutlierKind(double priceMin, double priceMax, double quantityMin, double quantityMax) {
        this.priceMin = priceMin;
        this.priceMax = priceMax;
        this.quantityMin = quantityMin;
        this.quantityMax = quantityMax;
    }

    String describe() {
        return String.format(
                "price × %s–%s, qty × %s–%s", fmt(priceMin), fmt(priceMax), fmt(quantityMin), fmt(quantityMax));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
