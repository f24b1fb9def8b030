package io.tradeanomaly.detector.quality.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The reduced time-series matrix in the build (docs/quality.md, "Time series"; {@code bench/quality.sh} runs the full
 * one): one seed, small generated corpora, the detector's default for a stream that is not the trades (its settings'
 * {@code detector.input.features} are the series' own) against the baseline each corpus must beat. {@code
 * -Dquality.series.method=calibrated-as-trades} runs it with the calibrated method, the default before the surprise method (through
 * the trade schema, values shifted positive), to check that it fails: single-value series and sensor runs miss.
 */
@Tag("slow")
class TimeSeriesQualityTest {

    static final String METHOD = System.getProperty("quality.series.method", "default");
    static final long SEED = 1;

    private static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    private static Map<String, Double> figures(String method, Corpus corpus) throws Exception {
        return SeriesHarness.figures(SeriesHarness.run(Methods.byName(method), corpus, pool));
    }

    /**
     * The verdicts alone (the default threshold) score at least 40 under the standard weighting and above KDA's setup
     * under every weighting (seed 1: 41.8 / 16.6 / 52.1 against KDA's -1,539 / -3,178 / -993; the calibrated method
     * through the trade schema -2.7 standard). The best cut of the score is not asserted: here it is 44.0 against KDA's 52.0 (standard),
     * the open gap docs/detector.md records ("Time series").
     */
    @Test
    void singleValueVerdictsScoreAboveKdaUnderEveryWeighting() throws Exception {
        Corpus corpus = Corpora.singleValue(SEED, false, 16);
        Map<String, Double> mine = figures(METHOD, corpus);
        Map<String, Double> kda = figures("kda", corpus);
        assertThat(mine.get("standard verdicts")).as("standard, verdicts").isGreaterThanOrEqualTo(40);
        for (String profile : List.of("standard", "low-FP", "low-FN")) {
            assertThat(mine.get(profile + " verdicts"))
                    .as("%s at the verdicts against KDA's %s", profile, kda.get(profile + " verdicts"))
                    .isGreaterThan(kda.get(profile + " verdicts"));
        }
    }

    @Test
    void sensorFaultsAreFlaggedForTheirDurationAtFewFalseAlarms() throws Exception {
        Map<String, Double> mine = figures(METHOD, Corpora.sensorRuns(SEED, false, 10));
        assertThat(mine.get("F1")).as("verdicts' F1").isGreaterThanOrEqualTo(0.70);
        assertThat(mine.get("FAR")).as("false-alarm rate").isLessThanOrEqualTo(0.15);
    }

    @Test
    void serverIncidentsRankAboveAPlainZScore() throws Exception {
        Corpus corpus = Corpora.servers(SEED, false, 2);
        assertThat(figures(METHOD, corpus).get("best-cut F1"))
                .isGreaterThan(figures("zscore", corpus).get("best-cut F1"));
    }
}
