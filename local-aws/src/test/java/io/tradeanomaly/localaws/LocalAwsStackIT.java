package io.tradeanomaly.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradeanomaly.common.kcl.LeaseTables;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** The emulators answer the real AWS APIs the pipeline uses, as provisioned by the stack. */
@ExtendWith(LocalAwsExtension.class)
class LocalAwsStackIT {

    @Test
    void provisionsStreamsWithTheirShardCounts(LocalAwsStack stack, LocalAwsNamespace names) {
        assertThat(shards(stack, names.tradesStream())).hasSize(2);
        assertThat(shards(stack, names.anomaliesStream())).hasSize(1);
    }

    @Test
    void recordsPutWithTheSdkAreReadBack(LocalAwsStack stack, LocalAwsNamespace names) {
        String stream = names.tradesStream();
        for (int i = 0; i < 50; i++) {
            int n = i;
            stack.kinesis()
                    .putRecord(b ->
                            b.streamName(stream).partitionKey("key-" + n).data(SdkBytes.fromUtf8String("record-" + n)))
                    .join();
        }

        List<String> read = new ArrayList<>();
        for (Shard shard : shards(stack, stream)) {
            String iterator = stack.kinesis()
                    .getShardIterator(b -> b.streamName(stream)
                            .shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .join()
                    .shardIterator();
            GetRecordsResponse response = stack.kinesis()
                    .getRecords(b -> b.shardIterator(iterator).limit(1000))
                    .join();
            response.records().stream()
                    .map(Record::data)
                    .map(SdkBytes::asUtf8String)
                    .forEach(read::add);
        }

        assertThat(read).hasSize(50);
        assertThat(read).contains("record-0", "record-49");
    }

    @Test
    void leaseTableHasTheOwnerIndexAndIsUsable(LocalAwsStack stack, LocalAwsNamespace names) {
        String table = names.detectorApplication();
        TableDescription description =
                stack.dynamoDb().describeTable(b -> b.tableName(table)).join().table();

        assertThat(description.globalSecondaryIndexes())
                .anySatisfy(index -> assertThat(index.indexName()).isEqualTo(LeaseTables.OWNER_INDEX));

        stack.dynamoDb()
                .putItem(b -> b.tableName(table)
                        .item(Map.of(
                                "leaseKey", AttributeValue.fromS("shardId-000000000000"),
                                "leaseOwner", AttributeValue.fromS("worker-1"))))
                .join();
        var byOwner = stack.dynamoDb()
                .query(b -> b.tableName(table)
                        .indexName(LeaseTables.OWNER_INDEX)
                        .keyConditionExpression("leaseOwner = :owner")
                        .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS("worker-1"))))
                .join();
        assertThat(byOwner.items())
                .extracting(item -> item.get("leaseKey").s())
                .containsExactly("shardId-000000000000");
    }

    @Test
    void s3ObjectsRoundTripAndSurviveAnOutage(LocalAwsStack stack, LocalAwsNamespace names) {
        String key = "2026/11/26/08/round-trip.json";
        stack.s3().putObject(b -> b.bucket(names.bucket()).key(key), RequestBody.fromString("{\"a\":1}\n"));

        stack.stopS3();
        try {
            assertThatThrownBy(() ->
                            stack.s3().headObject(b -> b.bucket(names.bucket()).key(key)))
                    .isInstanceOf(SdkClientException.class);
        } finally {
            stack.startS3();
        }

        String body = stack.s3()
                .getObjectAsBytes(b -> b.bucket(names.bucket()).key(key))
                .asString(StandardCharsets.UTF_8);
        assertThat(body).isEqualTo("{\"a\":1}\n");
    }

    @Test
    void objectTextWaitsOutAMomentary404AsDuringAnOverwrite(LocalAwsStack stack, LocalAwsNamespace names) {
        String key = "2026/11/26/08/rewritten.json";
        // the object appears 300 ms after the read starts, as after s3proxy's 404 window while overwriting
        CompletableFuture<?> writer = CompletableFuture.runAsync(
                () -> stack.s3()
                        .putObject(b -> b.bucket(names.bucket()).key(key), RequestBody.fromString("{\"b\":2}\n")),
                CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));

        assertThat(stack.objectText(names.bucket(), key)).isEqualTo("{\"b\":2}\n");
        writer.join();
    }

    private static List<Shard> shards(LocalAwsStack stack, String stream) {
        return stack.kinesis().listShards(b -> b.streamName(stream)).join().shards();
    }
}
