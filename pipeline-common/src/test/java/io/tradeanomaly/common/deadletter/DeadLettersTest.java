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
    private final NdjsonStore store = new NdjsonStore() {
        @Override
        public Outcome write(String key, List<byte[]> lines, boolean gzip, Function<byte[], String> identity) {
            List<byte[]> merged = LineMerge.union(objects.getOrDefault(key, List.of()), lines, identity);
            if (merged == null) {
                return Outcome.UNCHANGED;
            }
            Outcome outcome = objects.containsKey(key) ? Outcome.MERGED : Outcome.CREATED;
            objects.put(key, merged);
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
