package io.tradeanomaly.detector.quality.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorporaTest {

    @Test
    void aSeedAlwaysGivesTheSameSeriesAndAnotherSeedOthers() {
        List<Corpus> one = Corpora.all(7, true, 0.1);
        List<Corpus> again = Corpora.all(7, true, 0.1);
        List<Corpus> other = Corpora.all(8, true, 0.1);
        for (int c = 0; c < one.size(); c++) {
            LabelledSeries a = one.get(c).series().get(1);
            LabelledSeries b = again.get(c).series().get(1);
            assertThat(java.util.Arrays.deepEquals(b.values(), a.values())).isTrue();
            assertThat(b.labels()).isEqualTo(a.labels());
            assertThat(b.times()).isEqualTo(a.times());
            assertThat(java.util.Arrays.deepEquals(other.get(c).series().get(1).values(), a.values()))
                    .isFalse();
        }
    }

    @Test
    void singleValueSeriesAreLabelledAtEachOnsetOutsideTheProbation() {
        Corpus corpus = Corpora.singleValue(3, true, 40);
        int labelled = 0;
        for (LabelledSeries s : corpus.series()) {
            int onsets = 0;
            for (int t = 0; t < s.length(); t++) {
                if (s.labels()[t]) {
                    onsets++;
                    assertThat(t).isGreaterThanOrEqualTo(WindowedScorer.probation(s.length()));
                }
            }
            assertThat(onsets).isEqualTo(s.anomalies().size()).isLessThanOrEqualTo(4);
            labelled += onsets > 0 ? 1 : 0;
            assertThat(s.dimensions()).isEqualTo(1);
        }
        assertThat(labelled).isGreaterThan(30);
        // every base of the held-out corpus occurs
        assertThat(corpus.series().stream().map(s -> s.shape().split("@")[0]).distinct())
                .hasSize(SingleValueSeries.Base.values().length);
    }

    @Test
    void sensorFaultsAreLabelledForTheirWholeDurationAfterTheWarmUp() {
        for (LabelledSeries run : Corpora.sensorRuns(3, true, 10).series()) {
            assertThat(run.dimensions()).isEqualTo(8);
            assertThat(run.anomalies()).isNotEmpty();
            for (int t = 0; t < run.length(); t++) {
                int time = t;
                boolean inFault = run.anomalies().stream().anyMatch(a -> time >= a.start() && time < a.end());
                assertThat(run.labels()[t]).isEqualTo(inFault);
            }
            assertThat(run.anomalies().get(0).start()).isGreaterThanOrEqualTo(SensorRuns.WARM_UP);
        }
    }

    @Test
    void kpiSeriesMissSomeValuesAndServersAreLabelledOnlyAfterTheirHistory() {
        long missing = 0;
        for (LabelledSeries kpi : Corpora.kpis(3, true, 8).series()) {
            for (int t = 0; t < kpi.length(); t++) {
                missing += kpi.missing(t) ? 1 : 0;
            }
        }
        assertThat(missing).isPositive();
        LabelledSeries server = Corpora.servers(3, true, 2).series().get(0);
        assertThat(server.dimensions()).isEqualTo(19);
        for (int t = 0; t < server.scoredFrom(); t++) {
            assertThat(server.labels()[t]).isFalse();
        }
        assertThat(server.anomalies()).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void aSeriesIsWrittenAsCsvAndAsJsonLines(@TempDir Path dir) throws Exception {
        LabelledSeries kpi = Corpora.kpis(3, true, 2).series().get(0);
        SeriesFiles.writeCsv(kpi, dir.resolve("kpi.csv"));
        SeriesFiles.writeJsonLines(kpi, dir.resolve("kpi.jsonl"));
        List<String> csv = Files.readAllLines(dir.resolve("kpi.csv"));
        List<String> json = Files.readAllLines(dir.resolve("kpi.jsonl"));
        assertThat(csv).hasSize(kpi.length() + 1);
        assertThat(csv.get(0)).isEqualTo("time,key,value,label");
        assertThat(json).hasSize(kpi.length());
        assertThat(json.get(0)).startsWith("{\"time\":\"2026-").contains("\"key\":\"kpi-000\"", "\"label\":");
        assertThat(json.stream().filter(l -> l.contains("\"value\":null"))).isNotEmpty();
    }
}
