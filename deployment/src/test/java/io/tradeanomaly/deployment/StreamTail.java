package io.tradeanomaly.deployment;

import io.tradeanomaly.localaws.LocalAwsStack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Reads a stream incrementally: each call returns the records added since the previous one, shard by shard (new
 * shards after a reshard from their start). kinesis-local's GetRecords takes seconds on a shard holding hundreds of
 * thousands of records, so the fault suite must not reread everything for every check.
 */
final class StreamTail {

    private final LocalAwsStack stack;
    private final String stream;
    private final Map<String, String> lastSequence = new HashMap<>();

    StreamTail(LocalAwsStack stack, String stream) {
        this.stack = stack;
        this.stream = stream;
    }

    List<Record> next() {
        List<Record> records = new ArrayList<>();
        for (Shard shard :
                stack.kinesis().listShards(b -> b.streamName(stream)).join().shards()) {
            String after = lastSequence.get(shard.shardId());
            String iterator = stack.kinesis()
                    .getShardIterator(b -> {
                        b.streamName(stream).shardId(shard.shardId());
                        if (after == null) {
                            b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                        } else {
                            b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                                    .startingSequenceNumber(after);
                        }
                    })
                    .join()
                    .shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse response = stack.kinesis()
                        .getRecords(b -> b.shardIterator(current).limit(10000))
                        .join();
                records.addAll(response.records());
                if (!response.records().isEmpty()) {
                    lastSequence.put(
                            shard.shardId(),
                            response.records()
                                    .get(response.records().size() - 1)
                                    .sequenceNumber());
                }
                boolean caughtUp = response.millisBehindLatest() == null || response.millisBehindLatest() == 0;
                if (response.records().isEmpty() || caughtUp) {
                    break;
                }
                iterator = response.nextShardIterator();
            }
        }
        return records;
    }
}
