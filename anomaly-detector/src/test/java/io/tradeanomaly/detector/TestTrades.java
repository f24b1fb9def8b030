package io.tradeanomaly.detector;

import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Synthetic trades for the detector's tests: tight prices per ticker, log-normal quantities, inflated outliers. */
public final class TestTrades {

    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() & 0xFFFFFFFFFFL);

    private TestTrades() {}

    public static List<Trade> generate(String[] tickers, double[] prices, int count, double outlierRate, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Trade> trades = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int t = random.nextInt(tickers.length);
            double price = prices[t] * (1 + 0.002 * random.nextGaussian());
            long quantity = Math.min(1000, Math.max(1, Math.round(100 * Math.exp(0.5 * random.nextGaussian()))));
            boolean outlier = random.nextDouble() < outlierRate;
            if (outlier) {
                price *= 2 + 3 * random.nextDouble();
                quantity = Math.round(quantity * (10 + 40 * random.nextDouble()));
            }
            trades.add(new Trade(
                    IDS.incrementAndGet(),
                    tickers[t],
                    random.nextBoolean() ? TradeType.BUY : TradeType.SELL,
                    Math.round(price * 100) / 100.0,
                    quantity,
                    Instant.now(),
                    outlier));
        }
        return trades;
    }

    public static Trade normal(String ticker, double price, long quantity) {
        return new Trade(IDS.incrementAndGet(), ticker, TradeType.BUY, price, quantity, Instant.now(), false);
    }
}
