package io.tradeanomaly.detector.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.detector.TestSettings;
import io.tradeanomaly.detector.TestTrades;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelSnapshotTest {

    private static final ScoringSettings SETTINGS = TestSettings.perTicker();

    /** An in-memory store that counts what it was asked. */
    static final class MemoryStore implements ModelStore {
        final Map<String, byte[]> objects = new HashMap<>();
        int loads;

        @Override
        public Optional<byte[]> load(String key) {
            loads++;
            return Optional.ofNullable(objects.get(key));
        }

        @Override
        public void save(String key, byte[] snapshot) {
            objects.put(key, snapshot);
        }
    }

    @Test
    void aRestoredModelScoresOnWithoutWarmUpAndConsistently() {
        List<Trade> history = TestTrades.generate(new String[] {"AAA"}, new double[] {120}, 3000, 0.05, 61);
        List<Trade> next = TestTrades.generate(new String[] {"AAA"}, new double[] {120}, 600, 0.05, 62);
        MemoryStore store = new MemoryStore();
        TradeScorer original = new TradeScorer(SETTINGS, () -> 1.0, null, store, 100, "shard-0", ModelEvents.NONE);
        original.score(history);
        assertThat(original.snapshot("4711")).isEqualTo(1);
        assertThat(store.objects).containsOnlyKeys("ticker/AAA");

        TradeScorer restored = new TradeScorer(SETTINGS, () -> 1.0, null, store, 100, "shard-1", ModelEvents.NONE);
        List<Verdict> fromSnapshot = restored.score(next);
        List<Verdict> continued = original.score(next);

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
    void damagedOrForeignSnapshotsAreRefusedAndTheModelStartsFresh() {
        MemoryStore store = new MemoryStore();
        TradeScorer scorer = new TradeScorer(SETTINGS, () -> 1.0, null, store, 100, "s", ModelEvents.NONE);
        scorer.score(TestTrades.generate(new String[] {"BBB"}, new double[] {50}, 500, 0.05, 63));
        scorer.snapshot("1");
        byte[] good = store.objects.get("ticker/BBB");
        ModelCodec codec = new ModelCodec();

        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        assertThatThrownBy(() -> codec.decode(truncated, SETTINGS)).isInstanceOf(InvalidSnapshotException.class);
        assertThatThrownBy(() -> codec.decode("not a snapshot".getBytes(), SETTINGS))
                .isInstanceOf(InvalidSnapshotException.class);
        ScoringSettings raw = ScoringSettings.kda();
        assertThatThrownBy(() -> codec.decode(good, raw))
                .isInstanceOf(IncompatibleSnapshotException.class)
                .hasMessageContaining("features CALIBRATED (now RAW)");

        List<String> unusable = new ArrayList<>();
        store.objects.put("ticker/BBB", truncated);
        TradeScorer fresh = new TradeScorer(SETTINGS, () -> 1.0, null, store, 100, "s", new ModelEvents() {
            @Override
            public void unusableSnapshot(String key, InvalidSnapshotException reason) {
                unusable.add(key);
            }
        });
        List<Verdict> verdicts = fresh.score(TestTrades.generate(new String[] {"BBB"}, new double[] {50}, 10, 0, 64));
        assertThat(unusable).containsExactly("BBB");
        assertThat(verdicts).allMatch(Verdict::warmingUp);
    }

    @Test
    void aSnapshotOfAnotherForestProfileIsIncompatibleAndSaysWhatDiffers() {
        MemoryStore store = new MemoryStore();
        TradeScorer large = new TradeScorer(SETTINGS, () -> 1.0, null, store, 100, "s", ModelEvents.NONE);
        large.score(TestTrades.generate(new String[] {"CCC"}, new double[] {80}, 400, 0.05, 65));
        large.snapshot("1");
        ScoringSettings manyTickers = TestSettings.perTicker(30, 128, 0);

        // today's snapshots record only the feature kind: a 100 x 256 model came back as is under a 30 x 128 profile
        assertThatThrownBy(() -> new ModelCodec().decode(store.objects.get("ticker/CCC"), manyTickers))
                .isInstanceOf(IncompatibleSnapshotException.class)
                .hasMessageContaining("number-of-trees 100 (now 30)")
                .hasMessageContaining("sample-size 256 (now 128)")
                .hasMessageContaining("bounding-box-cache-fraction 1.0 (now 0.0)");

        List<InvalidSnapshotException> unusable = new ArrayList<>();
        TradeScorer small = new TradeScorer(manyTickers, () -> 1.0, null, store, 100, "s", new ModelEvents() {
            @Override
            public void unusableSnapshot(String key, InvalidSnapshotException reason) {
                unusable.add(reason);
            }
        });
        assertThat(small.score(TestTrades.generate(new String[] {"CCC"}, new double[] {80}, 10, 0, 66)))
                .allMatch(Verdict::warmingUp);
        assertThat(unusable).singleElement().isInstanceOf(IncompatibleSnapshotException.class);
    }

    @Test
    void aSnapshotWrittenBeforeCalibratedFeaturesStartsTheModelFreshNotACrash() throws Exception {
        // written by the previous format (relative features, 30 trees x 128, before this change)
        byte[] old;
        try (var in = getClass().getResourceAsStream("/snapshots/format1-relative-30x128.bin.gz")) {
            old = in.readAllBytes();
        }
        assertThatThrownBy(() -> new ModelCodec().decode(old, TestSettings.perTicker(30, 128, 0)))
                .isInstanceOf(IncompatibleSnapshotException.class)
                .hasMessageContaining("snapshot format 1");

        MemoryStore store = new MemoryStore();
        store.objects.put("ticker/AAA", old);
        List<String> unusable = new ArrayList<>();
        TradeScorer scorer = new TradeScorer(SETTINGS, () -> 1.0, null, store, 100, "s", new ModelEvents() {
            @Override
            public void unusableSnapshot(String key, InvalidSnapshotException reason) {
                unusable.add(key);
            }
        });
        List<Verdict> verdicts =
                scorer.score(TestTrades.generate(new String[] {"AAA"}, new double[] {120}, 300, 0, 67));
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
            MemoryStore store = new MemoryStore();
            TradeScorer scorer = new TradeScorer(kda, () -> 1.0, null, store, 100, "shard-0", ModelEvents.NONE);
            scorer.score(TestTrades.generate(tickers, prices, 20_000, 0.05, 68));
            scorer.snapshot("1");
            assertThat(scorer.models().get("*").state().transform()).isNull();
            sizes[k] = store.objects.get("global/shard-0").length;
        }
        assertThat((double) sizes[1] / sizes[0])
                .as("snapshot of 5,000 tickers / of 20")
                .isLessThan(1.2);
    }

    @Test
    void moreTickersThanTheLimitStillScoreAndEvictedModelsComeBackFromTheirSnapshot() {
        String[] tickers = {"T1", "T2", "T3", "T4", "T5", "T6"};
        double[] prices = {10, 20, 40, 80, 160, 320};
        MemoryStore store = new MemoryStore();
        int[] restored = {0};
        int[] evicted = {0};
        TradeScorer scorer = new TradeScorer(SETTINGS, () -> 1.0, null, store, 2, "s", new ModelEvents() {
            @Override
            public void restored(String key) {
                restored[0]++;
            }

            @Override
            public void evicted(String key) {
                evicted[0]++;
            }
        });
        // batches of one ticker at a time, round robin: each ticker's model is evicted and restored again and again
        for (int round = 0; round < 8; round++) {
            for (int t = 0; t < tickers.length; t++) {
                List<Verdict> verdicts = scorer.score(TestTrades.generate(
                        new String[] {tickers[t]}, new double[] {prices[t]}, 100, 0.05, round * 10L + t));
                assertThat(scorer.modelCount()).isLessThanOrEqualTo(2);
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
}
