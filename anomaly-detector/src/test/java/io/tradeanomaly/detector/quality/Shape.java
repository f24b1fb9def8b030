package io.tradeanomaly.detector.quality;

/**
 * The shape of a market's normal trades, per ticker: how prices scatter around the ticker's level, how that level
 * moves, and how quantities are distributed. Outliers are added on top (see {@link OutlierKind}).
 */
public enum Shape {
    /** This project's producer: ±0.2 % Gaussian noise around a slow random walk, log-normal quantity (median 100). */
    TIGHT("±0.2 % around a walk, log-normal qty"),
    /** ±2 % Gaussian price noise around a slow walk, wide log-normal quantity (median 100, sigma 1). */
    NOISE_2PCT("±2 % noise, log-normal qty"),
    /** AWS's sample stock-trade generator: the ticker's mean x U(0.8, 1.2), quantity uniform 1..10,000, SELL 40 %. */
    WIDE_UNIFORM("mean × U(0.8, 1.2), qty U(1, 10,000)"),
    /** ±1 % price noise, Pareto-tailed quantity (minimum 10, tail index 1.5: infinite variance). */
    PARETO("±1 % noise, Pareto qty (α 1.5)"),
    /**
     * Price noise switching, per ticker, between calm (±0.2 %) and 10x calmer (±0.02 %) or 10x wilder (±2 %)
     * regimes, each lasting about 500 of the ticker's trades; log-normal quantity.
     */
    REGIMES("volatility regimes ±0.02/0.2/2 %"),
    /** Each ticker trends linearly by +40 % or -40 % over the run, ±0.2 % noise, log-normal quantity. */
    TREND("±40 % trend over the run, ±0.2 % noise"),
    /** Tickers from $5 to $200,000 (log-spaced) together, ±1 % noise around a walk, log-normal quantity. */
    LEVELS("$5 … $200,000 tickers, ±1 % noise");

    private final String description;

    Shape(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
