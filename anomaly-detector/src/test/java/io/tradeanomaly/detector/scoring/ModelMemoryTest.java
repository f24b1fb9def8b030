package io.tradeanomaly.detector.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.detector.TestSettings;
import io.tradeanomaly.detector.TestTrades;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/** Heap per model, measured with JOL on a model that has seen 20,000 trades (its sample long since full). */
@Tag("slow")
class ModelMemoryTest {

    static {
        // JOL cannot read field offsets of records (a model refers to its settings) without this
        System.setProperty("jol.magicFieldOffset", "true");
    }

    static long bytesPerModel(int trees, int sampleSize, double boundingBoxCache) {
        ScoringSettings settings = TestSettings.perTicker(trees, sampleSize, boundingBoxCache);
        RecordScorer scorer = RecordScorer.offline(settings, null);
        for (int batch = 0; batch < 40; batch++) {
            RecordScorerTest.score(
                    scorer, TestTrades.generate(new String[] {"MEM"}, new double[] {100}, 500, 0.05, batch));
        }
        return GraphLayout.parseInstance(scorer.models().models().get("MEM")).totalSize();
    }

    @Test
    void aDefaultModelTakesAboutOneAndAHalfMegabytes() {
        long bytes = bytesPerModel(100, 256, 1.0);
        System.out.printf("heap per model (100 trees, sample 256, bounding-box cache 1): %,d bytes%n", bytes);
        // the default cache (1,000 models per shard processor) x 2 shards stays under 3 GB
        assertThat(bytes).isBetween(500_000L, 1_500_000L);
    }

    @Test
    void theManyTickersProfileFitsTenThousandModelsInTwoGigabytes() {
        long bytes = bytesPerModel(30, 128, 0);
        System.out.printf("heap per model (30 trees, sample 128, bounding-box cache 0): %,d bytes%n", bytes);
        assertThat(bytes * 10_000).isLessThan(2L * 1024 * 1024 * 1024);
    }
}
