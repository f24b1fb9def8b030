package io.tradeanomaly.detector.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.detector.TestSettings;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The reduced quality matrix in the build: every workload at 1, 5 and 10 % outliers, one seed, 50,000 trades, with
 * the defaults and with KDA's setup (docs/detector.md, "Detection quality"; {@code bench/quality.sh} runs the full one). A
 * regression in detection quality fails the build. The defaults can be changed for a run with {@code
 * -Dquality.detector.<property>=<value>} (e.g. {@code -Dquality.detector.sigmas=12}, today's value before
 * calibrated features), to check that the test notices.
 */
@Tag("slow")
class QualityMatrixTest {

    static final long TRADES = 50_000;
    static final long SEED = 1;
    static final double[] RATES = {0.01, 0.05, 0.10};

    private static final List<Cell> CELLS = new ArrayList<>();

    @BeforeAll
    static void runTheMatrix() throws Exception {
        ScoringSettings defaults = TestSettings.with(overrides());
        List<Workload> workloads = new ArrayList<>(QualityMatrix.workloads());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Cell>> running = new ArrayList<>();
            for (Workload workload : workloads) {
                for (double rate : RATES) {
                    running.add(
                            pool.submit(() -> QualityMatrix.run(workload, rate, SEED, TRADES, "default", defaults)));
                    running.add(pool.submit(
                            () -> QualityMatrix.run(workload, rate, SEED, TRADES, "kda", ScoringSettings.kda())));
                }
            }
            for (Workload workload : QualityMatrix.rankings()) {
                if (workload.shape() == Shape.TIGHT || workload.shape() == Shape.NOISE_2PCT) {
                    running.add(
                            pool.submit(() -> QualityMatrix.run(workload, 0.05, SEED, TRADES, "default", defaults)));
                }
            }
            for (Future<Cell> cell : running) {
                CELLS.add(cell.get());
            }
        } finally {
            pool.shutdownNow();
        }
        CELLS.forEach(c -> System.out.println(QualityReport.line(c)));
    }

    private static Map<String, String> overrides() {
        Map<String, String> overrides = new HashMap<>();
        System.getProperties().forEach((key, value) -> {
            if (key.toString().startsWith("quality.detector.")) {
                overrides.put(key.toString().substring("quality.".length()), value.toString());
            }
        });
        return overrides;
    }

    private static Cell cell(Workload workload, double rate, String setup) {
        return CELLS.stream()
                .filter(c -> c.workload().equals(workload)
                        && c.rate() == rate
                        && c.setup().equals(setup))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void everyCellMeetsTheTargetsAndIsNeverMuchWorseThanKda() {
        List<String> misses = new ArrayList<>();
        for (Workload workload : QualityMatrix.workloads()) {
            for (double rate : RATES) {
                Cell mine = cell(workload, rate, "default");
                Cell kda = cell(workload, rate, "kda");
                String where = workload.name() + " at " + rate + ": ";
                if (mine.precision() < 0.98) {
                    misses.add(where + "precision " + mine.precision());
                }
                if (mine.precision() < kda.precision() - 0.01) {
                    misses.add(where + "precision " + mine.precision() + " < KDA's " + kda.precision() + " - 0.01");
                }
                // not a target where some outliers are normal trades (Workload.separable): there the default must
                // still catch as many as KDA's setup (seed 1: 0.94 / 0.93 / 0.91 at 1 / 5 / 10 % against 0.82 / 0.82 /
                // 0.80; 0.78 at 10 % before a young shape screened its reference again, docs/detector.md)
                if (workload.separable() && mine.recall() < 0.99) {
                    misses.add(where + "recall " + mine.recall());
                }
                if (mine.recall() < kda.recall() - 0.01) {
                    misses.add(where + "recall " + mine.recall() + " < KDA's " + kda.recall() + " - 0.01");
                }
            }
        }
        assertThat(misses).as("cells below target").isEmpty();
    }

    @Test
    void aLargerPriceDeviationScoresHigher() {
        for (Shape shape : List.of(Shape.TIGHT, Shape.NOISE_2PCT)) {
            Cell ranking = cell(new Workload(shape, OutlierKind.PRICE_RANGE), 0.05, "default");
            assertThat(ranking.spearmanPrice())
                    .as("Spearman of score and price factor (quantity x 20), %s", shape)
                    .isGreaterThan(0.75);
        }
    }

    /**
     * The score ranks price deviations; a quantity deviation of a trade whose price is far out too hardly moves it (the
     * price dominates). Each feature's STRENGTH in the explanation ranks that feature's deviation on its own (seed 1:
     * price 0.86 / 0.89, quantity 0.47 / 0.36 on the tight and ±2 % shapes, where KDA's score ranks quantity 0.36-0.41
     * / 0.31-0.35), so a person can sort the anomalies by the feature they care about.
     */
    @Test
    void eachFeaturesStrengthRanksThatFeaturesDeviation() {
        for (Shape shape : List.of(Shape.TIGHT, Shape.NOISE_2PCT)) {
            assertThat(cell(new Workload(shape, OutlierKind.PRICE_RANGE), 0.05, "default")
                            .spearmanStrength())
                    .as("Spearman of the price STRENGTH and the price factor, %s", shape)
                    .isGreaterThan(0.75);
            assertThat(cell(new Workload(shape, OutlierKind.QUANTITY_RANGE), 0.05, "default")
                            .spearmanStrength())
                    .as("Spearman of the quantity STRENGTH and the quantity factor, %s", shape)
                    .isGreaterThan(0.3);
        }
    }
}
