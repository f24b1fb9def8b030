package io.tradeanomaly.deployment;

import io.tradeanomaly.localaws.LocalAwsStack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;

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
            List<Record> added = stack.readShard(stream, shard.shardId(), lastSequence.get(shard.shardId()));
            if (!added.isEmpty()) {
                lastSequence.put(shard.shardId(), added.get(added.size() - 1).sequenceNumber());
                records.addAll(added);
            }
        }
        return records;
    }
}
