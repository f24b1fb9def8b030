package io.tradeanomaly.detector.quality;

import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeType;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Trades of one {@link Workload}: normal trades of the workload's shape with injected outliers at a given rate,
 * labelled {@code injected} and carrying the factors they were inflated by. Pure and seeded: a workload, rate, seed
 * and count always give the same trades. Prices are rounded to cents as on a real tape.
 */
public final class WorkloadGenerator implements Iterator<WorkloadGenerator.Generated> {

    /** A trade and, for an injected outlier, its inflation factors (1 for a normal trade). */
    public record Generated(Trade trade, double priceFactor, double quantityFactor) {}

    public static final int TICKERS = 25;
    private static final double WALK_PER_TRADE = 0.0005;
    private static final double REGIME_SWITCH = 1.0 / 500;
    /** Trades of the ticker over which the volatility moves (geometrically) from one regime to the next. */
    static final int REGIME_RAMP = Integer.getInteger("quality.regimeRamp", 100);

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final Workload workload;
    private final double outlierRate;
    private final long count;
    private final SplittableRandom random;
    private final String[] symbols = new String[TICKERS];
    private final double[] base = new double[TICKERS];
    private final double[] walk = new double[TICKERS];
    private final double[] trend = new double[TICKERS];
    private final double[] regimeNoise = new double[TICKERS];
    private final double[] regimeTarget = new double[TICKERS];
    private long produced;

    public WorkloadGenerator(Workload workload, double outlierRate, long seed, long count) {
        this.workload = workload;
        this.outlierRate = outlierRate;
        this.count = count;
        this.random = new SplittableRandom(seed);
        for (int t = 0; t < TICKERS; t++) {
            symbols[t] = String.format("T%02d", t + 1);
            base[t] = workload.shape() == Shape.LEVELS
                    ? 5 * Math.pow(200_000 / 5.0, t / (TICKERS - 1.0))
                    : 10 * Math.pow(100, random.nextDouble()); // $10 .. $1,000
            walk[t] = base[t];
            trend[t] = random.nextBoolean() ? 0.4 : -0.4;
            regimeNoise[t] = 0.002;
            regimeTarget[t] = 0.002;
        }
    }

    /** All trades of a workload as an iterable of plain trades (the backtest's input). */
    public static Iterable<Generated> of(Workload workload, double outlierRate, long seed, long count) {
        return () -> new WorkloadGenerator(workload, outlierRate, seed, count);
    }

    @Override
    public boolean hasNext() {
        return produced < count;
    }

    @Override
    public Generated next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int t = random.nextInt(TICKERS);
        double price = normalPrice(t);
        double quantity = normalQuantity();
        double priceFactor = 1;
        double quantityFactor = 1;
        boolean outlier = random.nextDouble() < outlierRate;
        OutlierKind kind = workload.outliers();
        if (outlier) {
            priceFactor = uniform(kind.priceMin, kind.priceMax);
            quantityFactor = uniform(kind.quantityMin, kind.quantityMax);
        }
        double sell = workload.shape() == Shape.WIDE_UNIFORM ? 0.4 : 0.5;
        TradeType type = random.nextDouble() < sell ? TradeType.SELL : TradeType.BUY;
        long qty = Math.max(1, Math.round(quantity * quantityFactor));
        Trade trade = new Trade(
                produced + 1,
                symbols[t],
                type,
                Math.max(0.01, Math.round(price * priceFactor * 100) / 100.0),
                qty,
                START.plusMillis(produced),
                outlier);
        produced++;
        return new Generated(trade, priceFactor, quantityFactor);
    }

    private double normalPrice(int t) {
        switch (workload.shape()) {
            case WIDE_UNIFORM:
                return base[t] * uniform(0.8, 1.2);
            case TREND:
                return base[t] * (1 + trend[t] * produced / count) * (1 + 0.002 * random.nextGaussian());
            case REGIMES:
                if (regimeNoise[t] == regimeTarget[t] && random.nextDouble() < REGIME_SWITCH) {
                    regimeTarget[t] = regimeTarget[t] != 0.002 ? 0.002 : random.nextBoolean() ? 0.0002 : 0.02;
                }
                regimeNoise[t] = ramp(regimeNoise[t], regimeTarget[t]);
                // the regime scales all of the price's movement: the walk as well as the noise around it
                return step(t, regimeNoise[t] / 0.002) * (1 + regimeNoise[t] * random.nextGaussian());
            case NOISE_2PCT:
                return step(t) * (1 + 0.02 * random.nextGaussian());
            case PARETO:
            case LEVELS:
                return step(t) * (1 + 0.01 * random.nextGaussian());
            default:
                return step(t) * (1 + 0.002 * random.nextGaussian());
        }
    }

    /** One trade's step of a volatility moving by a factor of 10 over {@link #REGIME_RAMP} trades (at once if 0). */
    private static double ramp(double noise, double target) {
        if (REGIME_RAMP == 0) {
            return target;
        }
        double step = Math.pow(10, 1.0 / REGIME_RAMP);
        return target > noise ? Math.min(target, noise * step) : Math.max(target, noise / step);
    }

    /** One step of the ticker's slow random walk, kept within a factor of 2 of its base price. */
    private double step(int t) {
        return step(t, 1);
    }

    private double step(int t, double volatility) {
        double move = Math.exp(volatility * WALK_PER_TRADE * random.nextGaussian());
        walk[t] = Math.max(base[t] / 2, Math.min(base[t] * 2, walk[t] * move));
        return walk[t];
    }

    private double normalQuantity() {
        switch (workload.shape()) {
            case WIDE_UNIFORM:
                return 1 + random.nextInt(10_000);
            case PARETO:
                return Math.min(1e9, 10 * Math.pow(1 - random.nextDouble(), -1 / 1.5));
            case NOISE_2PCT:
                return 100 * Math.exp(random.nextGaussian());
            default:
                return Math.min(1000, 100 * Math.exp(0.5 * random.nextGaussian()));
        }
    }

    private double uniform(double min, double max) {
        return min + random.nextDouble() * (max - min);
    }
}
