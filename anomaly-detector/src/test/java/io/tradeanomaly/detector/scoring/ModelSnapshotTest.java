package io.tradeanomaly.detector.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradeanomaly.common.retry.Backoff;
import io.tradeanomaly.common.retry.Retries;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.detector.TestSettings;
import io.tradeanomaly.detector.TestTrades;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ModelSnapshotTest {

    private static final ScoringSettings SETTINGS = TestSettings.perTicker();
    private static final Backoff FAST = Backoff.untilStopped(Duration.ofMillis(1), Duration.ofMillis(5));
    private static final Duration WITHIN = Duration.ofSeconds(5);

    static RecordScorer scorer(MemoryModelStore store, ModelBudget budget, ModelEvents events, String shard) {
        return scorer(store, budget, events, shard, () -> true);
    }

    static RecordScorer scorer(
            MemoryModelStore store,
            ModelBudget budget,
            ModelEvents events,
            String shard,
            java.util.function.BooleanSupplier owner) {
        return scorer(SETTINGS, store, budget, events, shard, owner);
    }

    static RecordScorer scorer(
            ScoringSettings settings,
            MemoryModelStore store,
            ModelBudget budget,
            ModelEvents events,
            String shard,
            java.util.function.BooleanSupplier owner) {
        return new RecordScorer(
                new ShardModels(
                        settings,
                        new ShardModels.Persistence(
                                store, null, budget, events, FAST, Duration.ofMillis(20), Clock.systemUTC()),
                        shard,
                        owner,
                        null),
                () -> 1.0,
                null);
    }

    /** Scores trades as the detector reads them with the default input settings. */
    static List<Verdict> score(RecordScorer scorer, List<Trade> trades) {
        return RecordScorerTest.score(scorer, trades);
    }

    static ModelCodec codec(ScoringSettings settings) {
        return new ModelCodec(settings.detectionMethod());
    }

    /** Events that record the keys of unusable snapshots. */
    static ModelEvents unusableInto(List<String> keys) {
        return new ModelEvents() {
            @Override
            public void unusableSnapshot(String key, InvalidSnapshotException reason) {
                keys.add(key);
            }
        };
    }

    /** Events that record why snapshots were unusable. */
    static ModelEvents unusableReasonsInto(List<InvalidSnapshotException> reasons) {
        return new ModelEvents() {
            @Override
            public void unusableSnapshot(String key, InvalidSnapshotException reason) {
                reasons.add(reason);
            }
        };
    }

    @Test
    void aRestoredModelScoresOnWithoutWarmUpAndConsistently() {
        List<Trade> history = TestTrades.generate(new String[] {"AAA"}, new double[] {120}, 3000, 0.05, 61);
        List<Trade> next = TestTrades.generate(new String[] {"AAA"}, new double[] {120}, 600, 0.05, 62);
        MemoryModelStore store = new MemoryModelStore();
        RecordScorer original = scorer(store, new ModelBudget(100), ModelEvents.NONE, "shard-0");
        score(original, history);
        assertThat(original.models().snapshot("4711", WITHIN)).isTrue();
        assertThat(store.objects).containsOnlyKeys("key/AAA");

        RecordScorer restored = scorer(store, new ModelBudget(100), ModelEvents.NONE, "shard-1");
        List<Verdict> fromSnapshot = score(restored, next);
        List<Verdict> continued = score(original, next);

        assertThat(fromSnapshot).noneMatch(Verdict::warmingUp);
        assertThat(fromSnapshot.stream().map(Verdict::anomaly).toList())
                .isEqualTo(continued.stream().map(Verdict::anomaly).toList());
        double meanGap = 0;
        for (int i = 0; i < next.size(); i++) {
            meanGap += Math.abs(fromSnapshot.get(i).score() - continued.get(i).score()) / next.size();
        }
        assertThat(meanGap)
                .as("trees are rebuilt from the saved samples, so scores differ a little")
                .isLessThan(0.1);
        assertThat(fromSnapshot.stream().filter(Verdict::anomaly).count()).isPositive();
    }

    @Test
    void damagedOrForeignSnapshotsAreRefusedTheModelStartsFreshAndItsNextSnapshotReplacesThem() {
        MemoryModelStore store = new MemoryModelStore();
        RecordScorer scorer = scorer(store, new ModelBudget(100), ModelEvents.NONE, "s");
        score(scorer, TestTrades.generate(new String[] {"BBB"}, new double[] {50}, 500, 0.05, 63));
        scorer.models().snapshot("1", WITHIN);
        byte[] good = store.data("key/BBB");
        ModelCodec codec = codec(SETTINGS);

        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        assertThatThrownBy(() -> codec.decode(truncated)).isInstanceOf(InvalidSnapshotException.class);
        assertThatThrownBy(() -> codec.decode("not a snapshot".getBytes()))
                .isInstanceOf(InvalidSnapshotException.class);
        assertThatThrownBy(() -> codec(ScoringSettings.kda()).decode(good))
                .isInstanceOf(IncompatibleSnapshotException.class)
                .hasMessageContaining("method CALIBRATED (now KDA)");

        List<String> unusable = new ArrayList<>();
        store.objects.put("key/BBB", new ModelStore.Stored(truncated, "damaged"));
        RecordScorer fresh = scorer(store, new ModelBudget(100), unusableInto(unusable), "s");
        List<Verdict> verdicts = score(fresh, TestTrades.generate(new String[] {"BBB"}, new double[] {50}, 100, 0, 64));
        assertThat(unusable).containsExactly("BBB");
        assertThat(verdicts).allMatch(Verdict::warmingUp);
        assertThat(fresh.models().snapshot("2", WITHIN))
                .isTrue(); // written over the damaged one (its version was kept)
        assertThat(codec.decode(store.data("key/BBB")).model().seen()).isEqualTo(100);
    }

    @Test
    void aSnapshotANewerBuildWroteIsNeverReplacedByAnOlderReplicaInAMixedVersionRollout() throws Exception {
        MemoryModelStore store = new MemoryModelStore();
        RecordScorer newer = scorer(store, new ModelBudget(100), ModelEvents.NONE, "s");
        score(newer, TestTrades.generate(new String[] {"NNN"}, new double[] {50}, 500, 0.05, 65));
        newer.models().snapshot("1", WITHIN);
        byte[] fromNewerBuild = withFormat(store.data("key/NNN"), ModelCodec.VERSION + 1);
        store.objects.put("key/NNN", new ModelStore.Stored(fromNewerBuild, "newer"));
        assertThatThrownBy(() -> codec(SETTINGS).decode(fromNewerBuild)).isInstanceOf(NewerSnapshotException.class);

        RecordScorer older = scorer(store, new ModelBudget(100), ModelEvents.NONE, "s");
        score(older, TestTrades.generate(new String[] {"NNN"}, new double[] {50}, 500, 0, 66));
        assertThat(older.models().snapshot("2", WITHIN)).isTrue();
        older.models().evictBeyondShare("2");

        assertThat(store.data("key/NNN")).isEqualTo(fromNewerBuild);
    }

    /** The same snapshot with another format number (GZIP around a magic int, then the format int). */
    private static byte[] withFormat(byte[] snapshot, int format) throws Exception {
        byte[] raw;
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(snapshot))) {
            raw = in.readAllBytes();
        }
        java.nio.ByteBuffer.wrap(raw).putInt(4, format);
        var out = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void aSnapshotThatCannotBeReadIsRetriedNeverReplacedByAFreshModel() {
        MemoryModelStore store = new MemoryModelStore();
        RecordScorer trained = scorer(store, new ModelBudget(100), ModelEvents.NONE, "s");
        score(trained, TestTrades.generate(new String[] {"CCC"}, new double[] {75}, 2000, 0.05, 65));
        assertThat(trained.models().snapshot("9", WITHIN)).isTrue();

        store.failLoads = 3; // S3 answers 503 three times, then recovers
        AtomicInteger created = new AtomicInteger();
        RecordScorer next = scorer(
                store,
                new ModelBudget(100),
                new ModelEvents() {
                    @Override
                    public void created(String key) {
                        created.incrementAndGet();
                    }
                },
                "s");
        List<Verdict> verdicts =
                score(next, TestTrades.generate(new String[] {"CCC"}, new double[] {75}, 200, 0.05, 66));

        assertThat(created).hasValue(0);
        assertThat(next.models().models().get("CCC").seen()).isEqualTo(2200);
        assertThat(verdicts).noneMatch(Verdict::warmingUp);
        assertThat(store.loads).isEqualTo(1 + 3 + 1);
    }

    @Test
    void whileTheSnapshotCannotBeReadAndTheShardIsLostTheBatchEndsWithoutAFreshModel() {
        MemoryModelStore store = new MemoryModelStore();
        store.failLoads = Integer.MAX_VALUE;
        AtomicBoolean owner = new AtomicBoolean(true);
        AtomicInteger created = new AtomicInteger();
        RecordScorer scorer = scorer(
                store,
                new ModelBudget(100),
                new ModelEvents() {
                    @Override
                    public void created(String key) {
                        created.incrementAndGet();
                    }
                },
                "s",
                () -> store.loads < 5 || !owner.getAndSet(false));

        assertThatThrownBy(() -> score(scorer, TestTrades.generate(new String[] {"DDD"}, new double[] {9}, 10, 0, 1)))
                .isInstanceOf(Retries.GaveUpException.class);
        assertThat(created).hasValue(0);
        assertThat(scorer.models().modelCount()).isZero();
    }

    @Test
    void aStaleOwnerCannotReplaceTheSnapshotOfTheShardsNewOwner() {
        MemoryModelStore store = new MemoryModelStore();
        List<Trade> history = TestTrades.generate(new String[] {"EEE"}, new double[] {30}, 1000, 0.05, 67);
        RecordScorer old = scorer(store, new ModelBudget(100), ModelEvents.NONE, "s");
        score(old, history);
        old.models().snapshot("100", WITHIN);

        RecordScorer owner = scorer(store, new ModelBudget(100), ModelEvents.NONE, "s");
        score(owner, TestTrades.generate(new String[] {"EEE"}, new double[] {30}, 500, 0.05, 68));
        assertThat(owner.models().snapshot("200", WITHIN)).isTrue();
        byte[] newest = store.data("key/EEE");

        List<String> conflicts = new ArrayList<>();
        RecordScorer zombie = scorer(
                store,
                new ModelBudget(100),
                new ModelEvents() {
                    @Override
                    public void snapshotConflict(String key) {
                        conflicts.add(key);
                    }
                },
                "s");
        zombie.models()
                .models()
                .putAll(old.models().models()); // the old owner, paused past failover, resumes with its copy
        score(zombie, TestTrades.generate(new String[] {"EEE"}, new double[] {30}, 50, 0.05, 69));
        zombie.models().snapshot("150", WITHIN);

        assertThat(store.data("key/EEE")).isSameAs(newest);
        assertThat(codec(SETTINGS).decode(newest).model().seen()).isEqualTo(1500);
        assertThat(conflicts).containsExactly("EEE");
        assertThat(zombie.models().modelCount())
                .isZero(); // dropped: restored from the newer snapshot on its next trade
    }

    @Test
    void aSnapshotOfAnotherForestProfileIsIncompatibleAndSaysWhatDiffers() {
        MemoryModelStore store = new MemoryModelStore();
        RecordScorer large = scorer(store, new ModelBudget(100), ModelEvents.NONE, "s");
        score(large, TestTrades.generate(new String[] {"CCC"}, new double[] {80}, 400, 0.05, 65));
        assertThat(large.models().snapshot("1", WITHIN)).isTrue();
        ScoringSettings manyTickers = TestSettings.perTicker(30, 128, 0);

        // snapshots used to record only the feature kind: a 100 x 256 model came back as is under a 30 x 128 profile
        assertThatThrownBy(() -> codec(manyTickers).decode(store.data("key/CCC")))
                .isInstanceOf(IncompatibleSnapshotException.class)
                .hasMessageContaining("number-of-trees 100 (now 30)")
                .hasMessageContaining("sample-size 256 (now 128)")
                .hasMessageContaining("bounding-box-cache-fraction 1.0 (now 0.0)");

        List<InvalidSnapshotException> unusable = new ArrayList<>();
        RecordScorer small =
                scorer(manyTickers, store, new ModelBudget(100), unusableReasonsInto(unusable), "s", () -> true);
        assertThat(score(small, TestTrades.generate(new String[] {"CCC"}, new double[] {80}, 100, 0, 66)))
                .allMatch(Verdict::warmingUp);
        assertThat(unusable).singleElement().isInstanceOf(IncompatibleSnapshotException.class);
        assertThat(small.models().snapshot("2", WITHIN)).isTrue(); // the new profile's model replaces the old snapshot
        assertThat(codec(manyTickers).decode(store.data("key/CCC")).model().seen())
                .isEqualTo(100);
    }

    @Test
    void aSnapshotWrittenBeforeCalibratedFeaturesStartsTheModelFreshNotACrash() throws Exception {
        // written by the previous format (relative features, 30 trees x 128, before calibrated features)
        byte[] old;
        try (var in = getClass().getResourceAsStream("/snapshots/format1-relative-30x128.bin.gz")) {
            old = in.readAllBytes();
        }
        assertThatThrownBy(() -> codec(TestSettings.perTicker(30, 128, 0)).decode(old))
                .isInstanceOf(IncompatibleSnapshotException.class)
                .hasMessageContaining("snapshot format 1");

        MemoryModelStore store = new MemoryModelStore();
        store.objects.put("key/AAA", new ModelStore.Stored(old, "old"));
        List<String> unusable = new ArrayList<>();
        RecordScorer scorer = scorer(store, new ModelBudget(100), unusableInto(unusable), "s");
        List<Verdict> verdicts =
                score(scorer, TestTrades.generate(new String[] {"AAA"}, new double[] {120}, 300, 0, 67));
        assertThat(unusable).containsExactly("AAA");
        assertThat(verdicts.get(0).warmingUp()).isTrue();
        assertThat(verdicts.get(299).warmingUp()).isFalse();
    }

    @Test
    void aGlobalModelCarriesNothingPerTickerSoItsSnapshotDoesNotGrowWithTickers() {
        ScoringSettings kda = ScoringSettings.kda();
        int[] counts = {20, 5000};
        int[] sizes = new int[counts.length];
        for (int k = 0; k < counts.length; k++) {
            String[] tickers = new String[counts[k]];
            double[] prices = new double[counts[k]];
            for (int t = 0; t < tickers.length; t++) {
                tickers[t] = "T" + t;
                prices[t] = 10 + t % 90;
            }
            MemoryModelStore store = new MemoryModelStore();
            RecordScorer scorer = scorer(kda, store, new ModelBudget(100), ModelEvents.NONE, "shard-0", () -> true);
            score(scorer, TestTrades.generate(tickers, prices, 20_000, 0.05, 68));
            assertThat(scorer.models().snapshot("1", WITHIN)).isTrue();
            assertThat(scorer.models().models().get("*")).isInstanceOf(KdaModel.class);
            sizes[k] = store.data("global/shard-0").length;
        }
        assertThat((double) sizes[1] / sizes[0])
                .as("snapshot of 5,000 tickers / of 20")
                .isLessThan(1.2);
    }

    @Test
    void moreTickersThanTheBudgetStillScoreAndEvictedModelsComeBackFromTheirSnapshot() {
        String[] tickers = {"T1", "T2", "T3", "T4", "T5", "T6"};
        double[] prices = {10, 20, 40, 80, 160, 320};
        MemoryModelStore store = new MemoryModelStore();
        int[] restored = {0};
        int[] evicted = {0};
        RecordScorer scorer = scorer(
                store,
                new ModelBudget(2),
                new ModelEvents() {
                    @Override
                    public void restored(String key) {
                        restored[0]++;
                    }

                    @Override
                    public void evicted(String key) {
                        evicted[0]++;
                    }
                },
                "s");
        // batches of one ticker at a time, round robin: each ticker's model is evicted and restored again and again
        for (int round = 0; round < 8; round++) {
            for (int t = 0; t < tickers.length; t++) {
                List<Verdict> verdicts = score(
                        scorer,
                        TestTrades.generate(
                                new String[] {tickers[t]}, new double[] {prices[t]}, 100, 0.05, round * 10L + t));
                scorer.models().evictBeyondShare(Integer.toString(round * 10 + t)); // after the batch's checkpoint
                assertThat(scorer.models().modelCount()).isLessThanOrEqualTo(2);
                if (round >= 4) {
                    // past warm-up (256 trades) in earlier rounds: a restored model gives verdicts at once
                    assertThat(verdicts).noneMatch(Verdict::warmingUp);
                    assertThat(verdicts.stream().filter(Verdict::anomaly).count())
                            .isPositive();
                }
            }
        }
        assertThat(evicted[0]).isGreaterThan(30);
        assertThat(restored[0]).isGreaterThan(30);
        assertThat(store.objects).hasSize(6);
    }

    @Test
    void whileSnapshotsFailMemoryStaysWithinTheBudgetHoweverManyNewTickersTrade() {
        MemoryModelStore store = new MemoryModelStore();
        store.failSaves = true; // an S3 outage for writes
        AtomicInteger unsaved = new AtomicInteger();
        RecordScorer scorer = scorer(
                store,
                new ModelBudget(5),
                new ModelEvents() {
                    @Override
                    public void evictedUnsaved(String key) {
                        unsaved.incrementAndGet();
                    }
                },
                "s");
        for (int t = 0; t < 40; t++) {
            score(scorer, TestTrades.generate(new String[] {"N" + t}, new double[] {10 + t}, 100, 0.05, t));
            scorer.models().evictBeyondShare(Integer.toString(t));
            assertThat(scorer.models().modelCount()).isLessThanOrEqualTo(5);
        }
        assertThat(unsaved).hasValue(35);
    }

    @Test
    void theJvmBudgetIsSharedByTheScorersOfAllShardsAndCountsWhatTheyHold() {
        MemoryModelStore store = new MemoryModelStore();
        ModelBudget budget = new ModelBudget(4);
        RecordScorer a = scorer(store, budget, ModelEvents.NONE, "shard-a");
        RecordScorer b = scorer(store, budget, ModelEvents.NONE, "shard-b");
        for (int t = 0; t < 4; t++) {
            score(a, TestTrades.generate(new String[] {"A" + t}, new double[] {10 + t}, 80, 0, t));
            score(b, TestTrades.generate(new String[] {"B" + t}, new double[] {10 + t}, 80, 0, t));
        }
        a.models().evictBeyondShare("1");
        b.models().evictBeyondShare("1");

        assertThat(budget.share()).isEqualTo(2);
        assertThat(a.models().modelCount()).isEqualTo(2);
        assertThat(b.models().modelCount()).isEqualTo(2);
        assertThat(budget.held()).isEqualTo(4);
        b.models().close();
        assertThat(budget.share()).isEqualTo(4);
        assertThat(budget.held()).isEqualTo(2);
    }

    @Test
    void snapshotsAreWrittenInParallelAndTheirOrderKeepsTheCacheOrder() throws Exception {
        MemoryModelStore store = new MemoryModelStore();
        ExecutorService io = Executors.newFixedThreadPool(4);
        try {
            RecordScorer scorer = new RecordScorer(
                    new ShardModels(
                            SETTINGS,
                            new ShardModels.Persistence(
                                    store,
                                    io,
                                    new ModelBudget(3),
                                    ModelEvents.NONE,
                                    FAST,
                                    Duration.ofMillis(20),
                                    Clock.systemUTC()),
                            "s",
                            () -> true,
                            null),
                    () -> 1.0,
                    null);
            for (String ticker : new String[] {"P1", "P2", "P3"}) {
                score(scorer, TestTrades.generate(new String[] {ticker}, new double[] {40}, 80, 0, 3));
            }
            assertThat(scorer.models().snapshot("7", WITHIN)).isTrue();
            assertThat(store.objects).containsOnlyKeys("key/P1", "key/P2", "key/P3");
            score(scorer, TestTrades.generate(new String[] {"P4"}, new double[] {40}, 80, 0, 4));
            scorer.models().evictBeyondShare("8");
            // P1 was least recently used before the snapshot; a snapshot must not have refreshed it
            assertThat(scorer.models().models()).containsOnlyKeys("P2", "P3", "P4");
        } finally {
            io.shutdownNow();
        }
    }
}
