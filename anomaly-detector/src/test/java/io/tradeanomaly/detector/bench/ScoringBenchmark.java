package io.tradeanomaly.detector.bench;

import com.amazon.randomcutforest.RandomCutForest;
import io.tradeanomaly.common.record.InputRecord;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.detector.TestSettings;
import io.tradeanomaly.detector.TestTrades;
import io.tradeanomaly.detector.scoring.RecordScorer;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import io.tradeanomaly.detector.scoring.Verdict;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The detector's scoring path (score + update + explanation, per-ticker models, batches of 500 as KCL delivers) next
 * to the raw library's score + update on the same forest configuration, and the same path with the batch's tickers
 * scored in parallel on 2 threads. Throughput is in trades per second. Run with {@code bench/jmh.sh} (docs/performance.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class ScoringBenchmark {

    private static final int BATCH = 500;
    private static final String[] TICKERS = {
        "T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09", "T10", "T11", "T12"
    };
    private static final double[] PRICES = {12, 25, 30, 60, 170, 180, 190, 250, 420, 650, 3000, 3800};

    private final ScoringSettings settings = TestSettings.perTicker();
    private List<List<Trade>> batches;
    private List<List<InputRecord>> records;
    private int next;
    private RecordScorer sequential;
    private RecordScorer parallel;
    private ExecutorService executor;
    private Map<String, RandomCutForest> rawForests;

    @Setup(Level.Trial)
    public void setUp() {
        batches = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            batches.add(TestTrades.generate(TICKERS, PRICES, BATCH, 0.05, i));
        }
        records = batches.stream().map(TestTrades::records).toList();
        executor = Executors.newFixedThreadPool(2);
        sequential = RecordScorer.offline(settings, null);
        parallel = RecordScorer.offline(settings, executor);
        rawForests = new HashMap<>();
        for (String ticker : TICKERS) {
            rawForests.put(
                    ticker,
                    RandomCutForest.builder()
                            .dimensions(2)
                            .numberOfTrees(100)
                            .sampleSize(256)
                            .timeDecay(1e-5)
                            .outputAfter(32)
                            .randomSeed(42)
                            .parallelExecutionEnabled(false)
                            .build());
        }
        for (int i = 0; i < 20; i++) { // every model past warm-up before measuring
            sequential.score(records.get(i), TIMES);
            parallel.score(records.get(i), TIMES);
            raw(batches.get(i), null);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.shutdownNow();
    }

    private static final long[] TIMES = new long[BATCH];

    private List<Trade> nextBatch() {
        next = (next + 1) % batches.size();
        return batches.get(next);
    }

    private List<InputRecord> nextRecords() {
        next = (next + 1) % records.size();
        return records.get(next);
    }

    private void raw(List<Trade> trades, Blackhole sink) {
        for (Trade trade : trades) {
            RandomCutForest forest = rawForests.get(trade.tickerSymbol());
            double[] point = {trade.price(), trade.quantity()};
            double score = forest.getAnomalyScore(point);
            forest.update(point);
            if (sink != null) {
                sink.consume(score);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void rawLibraryScoreAndUpdate(Blackhole sink) {
        raw(nextBatch(), sink);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<Verdict> detectorScoringPath() {
        return sequential.score(nextRecords(), TIMES);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<Verdict> detectorScoringPathTwoThreads() {
        return parallel.score(nextRecords(), TIMES);
    }
}
