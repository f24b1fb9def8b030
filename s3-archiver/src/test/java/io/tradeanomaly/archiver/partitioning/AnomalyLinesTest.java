package io.tradeanomaly.archiver.partitioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.common.record.AnomalyLine;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A stored line's identity is its anomaly's, and a line that holds none is kept as it is. */
class AnomalyLinesTest {

    @Test
    void aStoredLineHasTheIdentityTheArchiverGaveTheAnomalyWhenItArrived() {
        for (String json : new String[] {
            "{\"id\":7,\"ANOMALY_SCORE\":2.5,\"sourceShardId\":\"shardId-000000000001\",\"sourceSequenceNumber\":\"49650\"}",
            "{\"id\":7,\"ANOMALY_SCORE\":2.5,\"sourceShardId\":\"s\",\"sourceSequenceNumber\":\"4\","
                    + "\"sourceSubSequenceNumber\":3}",
            "{\"id\":8,\"ANOMALY_SCORE\":2.5}",
            "{\"device\":{\"id\":\"p-7\"},\"ANOMALY_SCORE\":2.5}"
        }) {
            AnomalyLine arrived = AnomalyLine.decode(json.getBytes(StandardCharsets.UTF_8), 1 << 16);
            assertThat(AnomalyLines.identity(arrived.line())).as(json).isEqualTo(arrived.identity());
        }
    }

    @Test
    void aLineTheInputValidatorWouldRefuseOrThatIsNoAnomalyAtAllIsItsOwnIdentity() {
        String oversized =
                "{\"sourceShardId\":\"s\",\"sourceSequenceNumber\":\"1\",\"pad\":\"" + "x".repeat(70_000) + "\"}";

        assertThat(AnomalyLines.identity(oversized.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("s/1");
        assertThat(AnomalyLines.identity("not json".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("line:not json");
        assertThat(AnomalyLines.identity("{\"price\":NaN}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("line:{\"price\":NaN}");
        assertThat(AnomalyLines.identity("[1,2]".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("line:[1,2]");
    }
}
