package io.tradeanomaly.archiver.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradeanomaly.common.s3.LineFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DuckDB's Parquet as the archive's format: the same lines make the same bytes however many row groups they fill (so a
 * replay or a merge rebuilds an object identically), the rows read back are the lines written, and a body that is not
 * Parquet is unreadable, not an empty object.
 */
class ParquetLineFormatTest {

    private static final ParquetLineFormat FORMAT = new ParquetLineFormat(
            ParquetSchema.parse("k string, v double, n bigint, sourceShardId string, sourceSequenceNumber string,"
                    + " sourceSubSequenceNumber bigint, arrivalTime string"),
            1000);

    @Test
    void theSameLinesMakeTheSameBytesAcrossRowGroupsAndReadBackAsWritten() {
        List<byte[]> lines = new ArrayList<>();
        for (int i = 0; i < 8000; i++) { // eight row groups
            lines.add(FORMAT.conform(("{\"k\":\"key-" + (i % 97) + "\",\"v\":" + (i * 0.37) + ",\"n\":" + i
                            + ",\"sourceShardId\":\"shardId-000000000001\",\"sourceSequenceNumber\":\"" + i + "\"}")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        byte[] first = FORMAT.encode(lines);
        List<byte[]> read = FORMAT.decode(first);
        assertThat(read).hasSize(lines.size());
        for (int i = 0; i < lines.size(); i += 97) {
            assertThat(new String(read.get(i), StandardCharsets.UTF_8))
                    .isEqualTo(new String(lines.get(i), StandardCharsets.UTF_8));
        }
        assertThat(FORMAT.encode(read)).isEqualTo(first);
    }

    @Test
    void aBodyThatIsNotParquetIsUnreadable() {
        assertThatThrownBy(() -> FORMAT.decode("{\"k\":\"a\"}\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(LineFormat.UnreadableObjectException.class);
    }
}
