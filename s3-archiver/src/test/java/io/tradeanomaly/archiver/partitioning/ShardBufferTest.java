package io.tradeanomaly.archiver.partitioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class ShardBufferTest {

    private static final String SHARD = "shardId-000000000000";
    private static final Instant T0 = Instant.parse("2026-11-26T08:59:58.250Z");
    private static final PartitionSettings SETTINGS =
            new PartitionSettings(5 * 1024 * 1024, 10_000, Duration.ofSeconds(10));
    private final ObjectKeys keys = new ObjectKeys("anomalies/", "anomalous-trades", "1", false);

    private static byte[] line(int n) {
        return ("{\"id\":" + n + ",\"tickerSymbol\":\"AMZN\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static RecordPosition pos(int n) {
        return new RecordPosition(String.format("%056d", n), 0);
    }

    @Test
    void keyFollowsFirehosesLayoutInUtcDownToTheCharacter() {
        assertThat(keys.objectKey(Instant.parse("2026-11-26T08:05:09.999Z"), SHARD, "4968"))
                .isEqualTo(
                        "anomalies/2026/11/26/08/anomalous-trades-1-2026-11-26-08-05-09-shardId-000000000000-4968.json");
        assertThat(new ObjectKeys("", "x", "2", true).objectKey(Instant.parse("2026-01-02T03:04:05Z"), "s", "7"))
                .isEqualTo("2026/01/02/03/x-2-2026-01-02-03-04-05-s-7.json.gz");
        assertThat(keys.errorKey("errors/s3-archiver/", Instant.parse("2026-11-26T23:59:59Z"), SHARD, "1"))
                .isEqualTo(
                        "errors/s3-archiver/2026/11/26/23/anomalous-trades-1-2026-11-26-23-59-59-shardId-000000000000-1.json");
    }

    @Test
    void keysTellTheirShardAndTimeAndHoursAreListedForARange() {
        String key = keys.objectKey(Instant.parse("2026-11-26T08:05:09.999Z"), SHARD, "4968");
        assertThat(keys.timeOf(key, SHARD)).isEqualTo(Instant.parse("2026-11-26T08:05:09Z"));
        assertThat(keys.timeOf(key, "shardId-000000000001")).isNull();
        assertThat(keys.hourPrefixes(Instant.parse("2026-11-26T07:55:00Z"), Instant.parse("2026-11-26T08:05:00Z")))
                .containsExactly("anomalies/2026/11/26/07/", "anomalies/2026/11/26/08/");
    }

    @Test
    void recordsOfOneMinuteShareAnObjectAndANewMinuteRollsIt() {
        ShardBuffer buffer = new ShardBuffer(SHARD, keys, SETTINGS);
        buffer.add(line(1), T0, pos(1));
        buffer.add(line(2), T0.plusMillis(1500), pos(2)); // 08:59:59.750
        assertThat(buffer.ready()).isEmpty();

        buffer.add(line(3), T0.plusMillis(1750), pos(3)); // 09:00:00.000: next minute

        List<ArchiveObject> ready = buffer.ready();
        assertThat(ready).hasSize(1);
        assertThat(ready.get(0).key())
                .isEqualTo("anomalies/2026/11/26/08/anomalous-trades-1-2026-11-26-08-59-58-" + SHARD + "-"
                        + pos(1).sequenceNumber() + ".json");
        assertThat(new String(ready.get(0).body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":1,\"tickerSymbol\":\"AMZN\"}\n{\"id\":2,\"tickerSymbol\":\"AMZN\"}\n");
        assertThat(ready.get(0).records()).isEqualTo(2);
        assertThat(ready.get(0).checkpoint()).isEqualTo(pos(2));
    }

    @Test
    void anObjectClosesWhenItsMinuteIsOverPlusGraceEvenWithoutNewRecords() {
        ShardBuffer buffer = new ShardBuffer(SHARD, keys, SETTINGS);
        buffer.add(line(1), T0, pos(1));

        buffer.closeExpired(Instant.parse("2026-11-26T09:00:09.999Z"));
        assertThat(buffer.ready()).isEmpty();
        buffer.closeExpired(Instant.parse("2026-11-26T09:00:10Z"));
        assertThat(buffer.ready()).hasSize(1);
    }

    @Test
    void sizeAndCountBoundsRollObjects() {
        ShardBuffer bySize = new ShardBuffer(SHARD, keys, new PartitionSettings(100, 10_000, Duration.ofSeconds(10)));
        for (int i = 1; i <= 7; i++) {
            bySize.add(line(i), T0, pos(i)); // 31 bytes per line with its newline: 3 per object
        }
        assertThat(bySize.ready()).extracting(ArchiveObject::records).containsExactly(3, 3);
        assertThat(bySize.ready()).allSatisfy(o -> assertThat(o.body().length).isLessThanOrEqualTo(100));

        ShardBuffer byCount = new ShardBuffer(SHARD, keys, new PartitionSettings(1 << 20, 4, Duration.ofSeconds(10)));
        for (int i = 1; i <= 9; i++) {
            byCount.add(line(i), T0, pos(i));
        }
        assertThat(byCount.ready()).extracting(ArchiveObject::records).containsExactly(4, 4);
        assertThat(byCount.ready().get(1).key()).endsWith("-" + pos(5).sequenceNumber() + ".json");
    }

    @Test
    void replayingTheSameRecordsRebuildsTheSameObjectsWhateverTheBatchesAndFlushTimes() {
        List<ArchiveObject> first = run(5, List.of(Instant.parse("2026-11-26T09:00:30Z")));
        List<ArchiveObject> second =
                run(17, List.of(Instant.parse("2026-11-26T09:00:11Z"), Instant.parse("2026-11-26T09:01:59Z")));

        assertThat(second).hasSameSizeAs(first);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).key()).isEqualTo(first.get(i).key());
            assertThat(second.get(i).body()).isEqualTo(first.get(i).body());
        }
    }

    /** 300 records spread over three minutes, added in batches of {@code batch}, flushing at the given times. */
    private List<ArchiveObject> run(int batch, List<Instant> flushes) {
        ShardBuffer buffer = new ShardBuffer(SHARD, keys, new PartitionSettings(1 << 20, 70, Duration.ofSeconds(10)));
        List<ArchiveObject> written = new ArrayList<>();
        int flush = 0;
        for (int i = 1; i <= 300; i++) {
            Instant arrival = T0.plusMillis(i * 600L);
            buffer.add(line(i), arrival, pos(i));
            if (i % batch == 0 && flush < flushes.size() && arrival.isAfter(flushes.get(flush))) {
                buffer.closeExpired(flushes.get(flush++));
            }
            for (ArchiveObject object : buffer.ready()) {
                buffer.written(object);
                written.add(object);
            }
        }
        buffer.closeExpired(T0.plus(Duration.ofHours(1)));
        for (ArchiveObject object : buffer.ready()) {
            buffer.written(object);
            written.add(object);
        }
        return written;
    }

    @Test
    void checkpointCoversWrittenObjectsAndSkippedRecordsButNeverAnUnwrittenOne() {
        ShardBuffer buffer = new ShardBuffer(SHARD, keys, SETTINGS);
        buffer.skip(pos(1)); // a duplicate with nothing before it
        assertThat(buffer.checkpointable()).isEqualTo(pos(1));

        buffer.add(line(2), T0, pos(2));
        buffer.skip(pos(3)); // a duplicate after an unwritten record
        assertThat(buffer.checkpointable()).isEqualTo(pos(1));

        buffer.add(line(4), T0.plusSeconds(60), pos(4)); // rolls the first object
        ArchiveObject first = buffer.ready().get(0);
        assertThat(first.checkpoint()).isEqualTo(pos(3));
        buffer.written(first);
        assertThat(buffer.checkpointable()).isEqualTo(pos(3));
        assertThat(buffer.bufferedRecords()).isEqualTo(1);
    }

    @Test
    void gzipObjectsHoldTheSameLines() throws IOException {
        ShardBuffer buffer = new ShardBuffer(SHARD, new ObjectKeys("", "a", "1", true), SETTINGS);
        buffer.add(line(1), T0, pos(1));
        buffer.add(line(2), T0, pos(2));
        buffer.closeAll();

        ArchiveObject object = buffer.ready().get(0);
        assertThat(object.key()).endsWith(".json.gz");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(object.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(line(1)) + "\n" + new String(line(2)) + "\n");
        }
    }
}
