package io.tradeanomaly.producer.generator;

import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeType;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates stock trades like the AWS lab's producer Lambda, continuously: each ticker has a base price that drifts
 * in a slow random walk; a normal trade is priced around it with a small spread and a log-normal quantity; with
 * probability {@code outlierRate} a trade is an inflated outlier (price and quantity multiplied by factors drawn from
 * the configured ranges) labelled {@code injected: true}. Pure and seedable: the same seed, settings and clock give
 * the same trades. Not thread-safe.
 */
public final class TradeGenerator {

    /** Daily-ish volatility of the random walk per trade, and the bid/ask spread around the walk. */
    private static final double DRIFT_PER_TRADE = 0.0005;

    private static final double SPREAD = 0.002;
    /** Quantities: log-normal with median 100 shares, capped at 1,000. */
    private static final double QUANTITY_MEDIAN = 100;

    private static final double QUANTITY_SIGMA = 0.5;
    private static final long QUANTITY_CAP = 1000;

    private final SplittableRandom random;
    private final Clock clock;
    private final TradeIds ids;
    private final String[] symbols;
    private final double[] basePrices;
    private final double[] walk;

    public TradeGenerator(Map<String, Double> tickers, long seed, Clock clock, TradeIds ids) {
        if (tickers.isEmpty()) {
            throw new IllegalArgumentException("at least one ticker is needed");
        }
        this.random = new SplittableRandom(seed);
        this.clock = clock;
        this.ids = ids;
        this.symbols = tickers.keySet().toArray(String[]::new);
        this.basePrices =
                tickers.values().stream().mapToDouble(Double::doubleValue).toArray();
        this.walk = basePrices.clone();
    }

    /** Exactly {@code count} trades for one tick. */
    public List<Trade> tick(int count, GeneratorSettings settings) {
        List<Trade> trades = new ArrayList<>(count);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < count; i++) {
            trades.add(next(settings, now));
        }
        return trades;
    }

    private Trade next(GeneratorSettings settings, Instant time) {
        int t = random.nextInt(symbols.length);
        // Slow random walk, kept within a factor of 2 of the base price so tickers never wander off.
        walk[t] = clamp(walk[t] * Math.exp(DRIFT_PER_TRADE * gaussian()), basePrices[t] / 2, basePrices[t] * 2);
        double price = walk[t] * (1 + SPREAD * gaussian());
        long quantity = Math.min(
                QUANTITY_CAP, Math.max(1, Math.round(QUANTITY_MEDIAN * Math.exp(QUANTITY_SIGMA * gaussian()))));
        boolean outlier = random.nextDouble() < settings.outlierRate();
        if (outlier) {
            price *= settings.priceFactor().draw(random);
            quantity = Math.round(quantity * settings.quantityFactor().draw(random));
        }
        TradeType type = random.nextBoolean() ? TradeType.BUY : TradeType.SELL;
        return new Trade(ids.next(), symbols[t], type, cents(price), quantity, time, outlier);
    }

    private double gaussian() {
        return random.nextGaussian();
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    private static double cents(double price) {
        return Math.max(0.01, Math.round(price * 100) / 100.0);
    }
}
