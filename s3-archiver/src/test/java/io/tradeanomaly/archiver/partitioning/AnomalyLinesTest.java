package io.tradeanomaly.archiver.partitioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.common.trade.Anomaly;
import io.tradeanomaly.common.trade.RecordCodec;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A stored line's identity is its anomaly's, and a line that holds none is kept as it is. */
class AnomalyLinesTest {

    private static final RecordCodec CODEC = new RecordCodec();
    private static final Instant T0 = Instant.parse("2026-11-26T08:00:05Z");

    @Test
    void aStoredLineHasTheIdentityOfTheAnomalyItHolds() {
        Anomaly anomaly = Anomaly.of(
                new Trade(7, "AMZN", TradeType.BUY, 100, 10, T0, null),
                2.5,
                null,
                T0,
                new Anomaly.Source("shardId-000000000001", "49650", T0));
        Anomaly withoutSource = Anomaly.of(new Trade(8, "AMZN", TradeType.BUY, 100, 10, T0, null), 2.5, null, T0, null);

        assertThat(AnomalyLines.identity(
                        CODEC.decodeAnomalyLine(CODEC.encode(anomaly)).line()))
                .isEqualTo(anomaly.identity());
        assertThat(AnomalyLines.identity(CODEC.encode(withoutSource))).isEqualTo(withoutSource.identity());
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
