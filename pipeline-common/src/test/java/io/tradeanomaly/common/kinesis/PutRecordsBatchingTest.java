package io.tradeanomaly.common.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

class PutRecordsBatchingTest {

    @Test
    void batchesHoldAtMost500Records() {
        List<PutRecordsRequestEntry> entries = IntStream.range(0, 1201)
                .mapToObj(i -> PutRecordsPublisher.entry("k" + i, new byte[100]))
                .toList();

        assertThat(PutRecordsPublisher.batches(entries)).extracting(List::size).containsExactly(500, 500, 201);
    }

    @Test
    void batchesHoldAtMostFiveMebibytes() {
        List<PutRecordsRequestEntry> entries = IntStream.range(0, 12)
                .mapToObj(i -> PutRecordsPublisher.entry("k", new byte[1024 * 1024 - 1]))
                .toList();

        List<List<PutRecordsRequestEntry>> batches = PutRecordsPublisher.batches(entries);

        assertThat(batches).extracting(List::size).containsExactly(5, 5, 2);
        assertThat(batches.stream().flatMap(List::stream)).containsExactlyElementsOf(entries);
    }
}
