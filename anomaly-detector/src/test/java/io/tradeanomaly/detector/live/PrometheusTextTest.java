package io.tradeanomaly.detector.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String TEXT = """
            # HELP trades_produced_total Trades put on the stream
            # TYPE trades_produced_total counter
            trades_produced_total{application="trade-producer",injected="false"} 950.0
            trades_produced_total{application="trade-producer",injected="true"} 50.0
            trades_produced_total_created{application="trade-producer"} 1.7E9
            kcl_millis_behind_latest{application="s3-archiver",shard="shardId-000000000000"} 1200.0
            kcl_millis_behind_latest{application="s3-archiver",shard="shardId-000000000001"} 300.0 1764000000000
            kcl_millis_behind_latest{application="s3-archiver",shard="weird } label",note="a \\" quote"} 50
            anomalies_archived_total 7
            anomalies_archived_total_bad{x="1"} NaN
            """;

    @Test
    void sumsOrTakesTheMaximumOfAMetricsSamplesOverTheirLabels() {
        Map<String, Double> read = PrometheusText.read(
                TEXT,
                Map.of(
                        "trades_produced_total", PrometheusText.Aggregation.SUM,
                        "kcl_millis_behind_latest", PrometheusText.Aggregation.MAX,
                        "anomalies_archived_total", PrometheusText.Aggregation.SUM));

        assertThat(read)
                .containsEntry("trades_produced_total", 1000.0)
                .containsEntry("kcl_millis_behind_latest", 1200.0)
                .containsEntry("anomalies_archived_total", 7.0)
                .hasSize(3);
    }

    @Test
    void aMetricWithoutSamplesIsAbsentNotZero() {
        assertThat(PrometheusText.read(TEXT, Map.of("archive_objects_written_total", PrometheusText.Aggregation.SUM)))
                .isEmpty();
        assertThat(PrometheusText.read("<html>not metrics</html>", Map.of("x", PrometheusText.Aggregation.SUM)))
                .isEmpty();
    }
}
