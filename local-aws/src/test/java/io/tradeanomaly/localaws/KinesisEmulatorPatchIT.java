package io.tradeanomaly.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The project's patches to kinesis-local (local-aws/patches) are installed and do what they are for: PutRecords no
 * longer slows down as a shard fills (unpatched, the last 10,000 of 40,000 records go in over 20x slower than the
 * first 10,000), the retention cap keeps a shard's newest records, a trimmed position reading on from the oldest
 * record kept, and strings beyond ASCII survive the native codecs.
 */
@ExtendWith(LocalAwsExtension.class)
class KinesisEmulatorPatchIT {

    private static final String TRADE = "{\"id\":1,\"tickerSymbol\":\"AAPL\",\"tradeType\":\"BUY\",\"price\":190.12,"
            + "\"quantity\":100,\"tradeTime\":\"2026-11-26T12:00:00.000Z\",\"injected\":false}";

    @Test
    void theInstalledEmulatorCarriesThePatch() throws Exception {
        String main = Files.readString(EmulatorHome.locate().resolve("kinesis-local/main.js"));
        assertThat(main).contains(EmulatorHome.PATCH_MARKER).contains("var key = elem.ev;");
        // the log context's request/response bodies are built only at DEBUG or TRACE (patch 4, docs/local-aws.md)
        assertThat(main).contains("if ((!$tapLogPayloads)) {\n    return this;");
        // strings to and from bytes with Node's codecs (patch 5)
        assertThat(main)
                .contains("var fast = $tapGetBytes($thiz, charset);")
                .contains("var fast = $tapNewString(bytes, offset, length, charset);")
                .contains("return this.CC(bytes, 0, bytes.a.length, charset);");
        assertThat(Files.readString(Path.of("patches/kinesis-local+0.6.2.patch")))
                .contains(EmulatorHome.PATCH_MARKER);
    }

    @Test
    void putRecordsStaysAsFastWhileAShardFills(LocalAwsStack stack) {
        String stream = "patch-flat-" + System.nanoTime();
        stack.createStream(stream, 1);
        long[] nanosPer10k = new long[4];
        for (int block = 0; block < nanosPer10k.length; block++) {
            long start = System.nanoTime();
            for (int batch = 0; batch < 20; batch++) { // 20 x 500 = 10,000 records
                put(stack.kinesis(), stream, 500);
            }
            nanosPer10k[block] = System.nanoTime() - start;
        }
        double ratio = (double) nanosPer10k[3] / nanosPer10k[0];
        assertThat(ratio)
                .as(
                        "last 10,000 vs first 10,000 records of one shard (ms per block: %d, %d, %d, %d)",
                        nanosPer10k[0] / 1_000_000,
                        nanosPer10k[1] / 1_000_000,
                        nanosPer10k[2] / 1_000_000,
                        nanosPer10k[3] / 1_000_000)
                .isLessThanOrEqualTo(2.0);
    }

    /**
     * Patch 5 encodes and decodes strings with Node's codecs: partition keys beyond ASCII (two-byte, three-byte and
     * four-byte UTF-8, a surrogate pair in Java) come back as put, and each record lands in the shard whose hash key
     * range holds the MD5 of its key's UTF-8 bytes, as on Kinesis.
     */
    @Test
    void partitionKeysBeyondAsciiComeBackAsPutAndHashToTheirShards(LocalAwsStack stack) throws Exception {
        String stream = "patch-utf8-" + System.nanoTime();
        stack.createStream(stream, 4);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            keys.add("Z\u00fcrich-\u682a" + i + "-\ud83d\ude00");
        }
        PutRecordsResponse response = stack.kinesis()
                .putRecords(b -> b.streamName(stream)
                        .records(keys.stream()
                                .map(k -> PutRecordsRequestEntry.builder()
                                        .partitionKey(k)
                                        .data(SdkBytes.fromUtf8String(TRADE + k))
                                        .build())
                                .toList()))
                .join();
        assertThat(response.failedRecordCount()).isZero();
        List<Shard> shards =
                stack.kinesis().listShards(b -> b.streamName(stream)).join().shards();
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        for (int i = 0; i < keys.size(); i++) {
            BigInteger hash = new BigInteger(1, md5.digest(keys.get(i).getBytes(StandardCharsets.UTF_8)));
            String expected = shards.stream()
                    .filter(s -> hash.compareTo(new BigInteger(s.hashKeyRange().startingHashKey())) >= 0
                            && hash.compareTo(new BigInteger(s.hashKeyRange().endingHashKey())) <= 0)
                    .findFirst()
                    .orElseThrow()
                    .shardId();
            assertThat(response.records().get(i).shardId())
                    .as("shard of key %d", i)
                    .isEqualTo(expected);
        }
        List<Record> read = new ArrayList<>();
        for (Shard shard : shards) {
            read.addAll(stack.readShard(stream, shard.shardId(), null));
        }
        assertThat(read).extracting(Record::partitionKey).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(read).allSatisfy(r -> assertThat(r.data().asUtf8String()).isEqualTo(TRADE + r.partitionKey()));
    }

    @Test
    void theRetentionCapKeepsTheNewestRecordsAndATrimmedPositionReadsOnFromTheOldestKept() {
        try (LocalAwsStack small = LocalAwsStack.start(
                LocalAwsStack.Ports.free(),
                Path.of("target", "local-aws", "capped").toAbsolutePath(),
                null,
                1000)) {
            KinesisAsyncClient kinesis = small.kinesis();
            small.createStream("capped", 1);
            String shard = "shardId-000000000000";
            String first = put(kinesis, "capped", 500).records().get(0).sequenceNumber();
            String heldIterator = kinesis.getShardIterator(b -> b.streamName("capped")
                            .shardId(shard)
                            .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                            .startingSequenceNumber(first))
                    .join()
                    .shardIterator();
            List<String> all = new ArrayList<>();
            for (int batch = 0; batch < 6; batch++) {
                put(kinesis, "capped", 500).records().forEach(r -> all.add(r.sequenceNumber()));
            }
            String last = all.get(all.size() - 1);

            // sequence numbers keep growing across the trims (kinesis-mock numbers records by their count in the shard)
            for (int i = 1; i < all.size(); i++) {
                assertThat(new java.math.BigInteger(all.get(i)))
                        .as("sequence number %d", i)
                        .isGreaterThan(new java.math.BigInteger(all.get(i - 1)));
            }

            List<Record> kept = small.readShard("capped", shard, null);
            assertThat(kept).hasSizeBetween(1000, 1100); // trimmed to 1,000 each time it passes 1,100
            assertThat(kept.get(kept.size() - 1).sequenceNumber()).isEqualTo(last);
            assertThat(all.subList(all.size() - kept.size(), all.size()))
                    .isEqualTo(kept.stream().map(Record::sequenceNumber).toList());

            // a consumer whose position was trimmed (a held iterator, or a new one after its checkpoint) reads on
            // from the oldest record kept instead of failing with ResourceNotFound forever
            List<Record> fromHeld = kinesis.getRecords(
                            b -> b.shardIterator(heldIterator).limit(10000))
                    .join()
                    .records();
            assertThat(fromHeld.get(0).sequenceNumber()).isEqualTo(kept.get(0).sequenceNumber());
            assertThat(small.readShard("capped", shard, first).get(0).sequenceNumber())
                    .isEqualTo(kept.get(0).sequenceNumber());

            // a consumer at the tip reads on through the next trim: exactly the records put after its position
            String tip = kinesis.getShardIterator(b -> b.streamName("capped")
                            .shardId(shard)
                            .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                            .startingSequenceNumber(last))
                    .join()
                    .shardIterator();
            List<String> next = new ArrayList<>();
            for (int batch = 0; batch < 2; batch++) {
                put(kinesis, "capped", 500).records().forEach(r -> next.add(r.sequenceNumber()));
            }
            assertThat(kinesis.getRecords(b -> b.shardIterator(tip).limit(10000))
                            .join()
                            .records())
                    .extracting(Record::sequenceNumber)
                    .isEqualTo(next);
        }
    }

    private static PutRecordsResponse put(KinesisAsyncClient kinesis, String stream, int records) {
        List<PutRecordsRequestEntry> entries = Collections.nCopies(
                records,
                PutRecordsRequestEntry.builder()
                        .partitionKey("AAPL")
                        .data(SdkBytes.fromUtf8String(TRADE))
                        .build());
        PutRecordsResponse response =
                kinesis.putRecords(b -> b.streamName(stream).records(entries)).join();
        assertThat(response.failedRecordCount()).isZero();
        return response;
    }
}
