package io.tradeanomaly.detector;

import io.tradeanomaly.common.record.InputRecord;
import io.tradeanomaly.common.record.InputSchema;
import io.tradeanomaly.common.record.JsonRecords;
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

    private static final InputSchema TRADES = InputSchema.trades();

    /** A trade as the detector reads it with the default input settings (through its JSON, as on the stream). */
    public static InputRecord record(Trade trade) {
        return TRADES.read(JsonRecords.mapper().valueToTree(trade));
    }

    /** Trades as the detector reads them. */
    public static List<InputRecord> records(List<Trade> trades) {
        return trades.stream().map(TestTrades::record).toList();
    }

    /**
     * A trade as an in-process backtest needs it, without its JSON (the quality matrix's millions of trades): key,
     * features and label only.
     */
    public static InputRecord scoringOnly(Trade trade) {
        return new InputRecord(
                trade.tickerSymbol(), new double[] {trade.price(), trade.quantity()}, null, trade.injected(), null);
    }

    /** An anomaly of a trade of {@code ticker} with that id and score, read from shard "s" at that arrival. */
    public static io.tradeanomaly.common.record.Anomaly anomaly(String ticker, long id, double score, Instant arrival) {
        Trade trade = new Trade(id, ticker, TradeType.BUY, 1, 1, arrival, null);
        return io.tradeanomaly.common.record.AnomalyLayout.of(TRADES, null)
                .anomaly(
                        record(trade),
                        score,
                        null,
                        arrival.plusMillis(300),
                        new io.tradeanomaly.common.record.Anomaly.Source("s", "" + id, arrival));
    }

    /** The trade id of a trade's anomaly. */
    public static long id(io.tradeanomaly.common.record.Anomaly anomaly) {
        return anomaly.record().get("id").longValue();
    }

    public static Trade normal(String ticker, double price, long quantity) {
        return new Trade(IDS.incrementAndGet(), ticker, TradeType.BUY, price, quantity, Instant.now(), false);
    }

    /** A gross outlier of a ticker trading near {@code price} (four times the price, thirty times the quantity). */
    public static Trade outlier(String ticker, double price) {
        return new Trade(IDS.incrementAndGet(), ticker, TradeType.BUY, price * 4, 3_000, Instant.now(), true);
    }
}
