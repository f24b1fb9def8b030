package io.tradeanomaly.common.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.kinesis.agg.AggRecord;
import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.common.record.RecordRejectedException;
import io.tradeanomaly.common.s3.LineMerge;
import io.tradeanomaly.common.s3.NdjsonStore;
import io.tradeanomaly.common.trade.TradeCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * Dead letters of user records inside a KPL aggregate, built by awslabs' aggregator (the KPL's record format) and
 * taken apart by KCL as the consumers receive them: the user records of one aggregate share a sequence number, so a
 * letter is told apart by its sub-sequence number too.
 */
class DeadLettersTest {

    private static final TradeCodec CODEC = new TradeCodec();
    private static final Instant ARRIVAL = Instant.parse("2026-11-26T08:00:05Z");

    private final Map<String, List<byte[]>> objects = new TreeMap<>();
    /** The lines each write left in its object: what S3 was sent. */
    private final List<Integer> written = new ArrayList<>();

    private final NdjsonStore store = new NdjsonStore() {
        @Override
        public Outcome write(String key, List<byte[]> lines, boolean gzip, Function<byte[], String> identity) {
            List<byte[]> merged = LineMerge.union(objects.getOrDefault(key, List.of()), lines, identity);
            if (merged == null) {
                return Outcome.UNCHANGED;
            }
            Outcome outcome = objects.containsKey(key) ? Outcome.MERGED : Outcome.CREATED;
            objects.put(key, merged);
            written.add(merged.size());
            return outcome;
        }

        @Override
        public List<String> list(String prefix) {
            return objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
        }

        @Override
        public byte[] read(String key) {
            return LineMerge.join(objects.get(key));
        }
    };

    @Test
    void everyMalformedUserRecordOfAKplAggregateIsDeadLetteredAndAReplayAddsNothing() throws Exception {
        List<KinesisClientRecord> aggregate = aggregate(
                "{\"tickerSymbol\":\"AMZN\",\"tradeType\":\"BUY\",\"price\":1,\"quantity\":1,\"id\":1}",
                "not json",
                "{\"tickerSymbol\":\"AMZN\",\"tradeType\":\"HOLD\",\"price\":1,\"quantity\":1,\"id\":2}",
                "[1,2,3]");
        DeadLetters letters = new DeadLetters(store, "errors/");

        List<DeadLetter> rejected = rejected(aggregate);
        letters.write("shardId-000000000000", rejected);
        letters.write("shardId-000000000000", rejected(aggregate)); // a replay of the same records

        assertThat(rejected).hasSize(3);
        assertThat(rejected)
                .extracting(DeadLetter::identity)
                .containsExactly("4711/1", "4711/2", "4711/3")
                .doesNotHaveDuplicates();
        List<byte[]> stored = objects.values().stream().flatMap(List::stream).toList();
        assertThat(stored).hasSize(3);
        assertThat(stored.stream().map(JsonRecords::text))
                .allSatisfy(line -> assertThat(line).contains("\"sequenceNumber\":\"4711\""))
                .anySatisfy(line -> assertThat(line).contains("\"subSequenceNumber\":3"));
    }

    @Test
    void aBurstOfBadRecordsIsStoredInBoundedObjectsSoNoBatchRewritesTheWholeMinute() {
        // a shard's whole capacity of bad records for a minute (1,000 a second), a batch a second as KCL reads them
        DeadLetters letters = new DeadLetters(store, "errors/");
        Instant minute = Instant.parse("2026-11-26T08:00:00Z");
        long sequence = 0;
        for (int second = 0; second < 60; second++) {
            List<DeadLetter> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                KinesisClientRecord record = KinesisClientRecord.builder()
                        .sequenceNumber(Long.toString(++sequence))
                        .partitionKey("k")
                        .approximateArrivalTimestamp(minute.plusMillis(second * 1000L + i))
                        .data(ByteBuffer.wrap("not json".getBytes(StandardCharsets.UTF_8)))
                        .build();
                batch.add(rejected(List.of(record)).get(0));
            }
            letters.write("shardId-000000000000", batch);
        }

        assertThat(objects.values().stream().mapToInt(List::size).sum()).isEqualTo(60_000);
        assertThat(objects)
                .hasSize(6)
                .allSatisfy((key, lines) -> assertThat(lines).hasSize(10_000));
        assertThat(objects.keySet())
                .first()
                .isEqualTo("errors/2026/11/26/08/shardId-000000000000-2026-11-26-08-00-00.json");
        // the largest write is one span's letters, not the minute's 60,000; the minute's object was rewritten whole by
        // each batch (1.83 million lines sent for 60,000 letters), spans send 5.5 lines per letter whatever the burst
        assertThat(written).allSatisfy(lines -> assertThat(lines).isLessThanOrEqualTo(10_000));
        assertThat(written.stream().mapToLong(Integer::longValue).sum()).isLessThanOrEqualTo(330_000);
    }

    @Test
    void aRecordThatWasNotAggregatedHasNoSubSequenceNumberInItsLetter() {
        KinesisClientRecord plain = KinesisClientRecord.builder()
                .sequenceNumber("4712")
                .partitionKey("k")
                .approximateArrivalTimestamp(ARRIVAL)
                .data(ByteBuffer.wrap("oops".getBytes(StandardCharsets.UTF_8)))
                .build();

        DeadLetter letter = rejected(List.of(plain)).get(0);

        assertThat(letter.identity()).isEqualTo("4712");
        assertThat(JsonRecords.text(JsonRecords.encode(letter))).doesNotContain("subSequenceNumber");
    }

    /** The user records as KCL hands them to a processor after Kinesis stored their aggregate as record 4711. */
    static List<KinesisClientRecord> aggregate(String... userRecords) throws Exception {
        AggRecord aggregate = new AggRecord();
        for (int i = 0; i < userRecords.length; i++) {
            assertThat(aggregate.addUserRecord("key-" + i, null, userRecords[i].getBytes(StandardCharsets.UTF_8)))
                    .isTrue();
        }
        KinesisClientRecord stored = KinesisClientRecord.builder()
                .sequenceNumber("4711")
                .partitionKey(aggregate.getPartitionKey())
                .explicitHashKey(aggregate.getExplicitHashKey())
                .approximateArrivalTimestamp(ARRIVAL)
                .data(ByteBuffer.wrap(aggregate.toRecordBytes()))
                .build();
        List<KinesisClientRecord> users = new AggregatorUtil().deaggregate(List.of(stored));
        assertThat(users).hasSize(userRecords.length).allMatch(KinesisClientRecord::aggregated);
        return users;
    }

    private static List<DeadLetter> rejected(List<KinesisClientRecord> records) {
        List<DeadLetter> letters = new ArrayList<>();
        for (KinesisClientRecord record : records) {
            try {
                CODEC.decodeTrade(record.data());
            } catch (RecordRejectedException e) {
                letters.add(DeadLetter.of(record, "shardId-000000000000", e));
            }
        }
        return letters;
    }
}
