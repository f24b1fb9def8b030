package io.tradeanomaly.archiver.partitioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    }

    @Test
    void keysTellTheirShardAndTimeAndHoursAreListedForARange() {
        String key = keys.objectKey(Instant.parse("2026-11-26T08:05:09.999Z"), SHARD, "4968");
        assertThat(keys.timeOf(key, SHARD)).isEqualTo(Instant.parse("2026-11-26T08:05:09Z"));
        assertThat(keys.timeOf(key, "shardId-000000000001")).isNull();
        assertThat(keys.firstSequenceOf(key, SHARD)).isEqualTo("4968");
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
        assertThat(ready.get(0).lines()).containsExactly(line(1), line(2));
        assertThat(ready.get(0).records()).isEqualTo(2);
        assertThat(ready.get(0).checkpoint()).isEqualTo(pos(2));
    }

    @Test
    void atTheTipAnObjectClosesWhenItsMinuteIsOverPlusGraceEvenWithoutNewRecords() {
        ShardBuffer buffer = new ShardBuffer(SHARD, keys, SETTINGS);
        buffer.add(line(1), T0, pos(1));

        buffer.closeIfWindowOver(Instant.parse("2026-11-26T09:00:09.999Z"), true);
        assertThat(buffer.ready()).isEmpty();
        buffer.closeIfWindowOver(Instant.parse("2026-11-26T09:00:10Z"), true);
        assertThat(buffer.ready()).hasSize(1);
    }

    @Test
    void behindTheTipTheWallClockNeverClosesAMinuteOnlyALaterRecordDoes() {
        ShardBuffer buffer = new ShardBuffer(SHARD, keys, SETTINGS);
        buffer.add(line(1), T0, pos(1));

        buffer.closeIfWindowOver(T0.plus(Duration.ofHours(3)), false); // minutes behind, catching up
        assertThat(buffer.ready()).isEmpty();
        buffer.add(line(2), T0.plusSeconds(1), pos(2)); // the same minute: still the same object
        buffer.add(line(3), T0.plusSeconds(61), pos(3));
        assertThat(buffer.ready())
                .singleElement()
                .satisfies(o -> assertThat(o.records()).isEqualTo(2));
    }

    @Test
    void sizeAndCountBoundsRollObjects() {
        ShardBuffer bySize = new ShardBuffer(SHARD, keys, new PartitionSettings(100, 10_000, Duration.ofSeconds(10)));
        for (int i = 1; i <= 7; i++) {
            bySize.add(line(i), T0, pos(i)); // 31 bytes per line with its newline: 3 per object
        }
        assertThat(bySize.ready()).extracting(ArchiveObject::records).containsExactly(3, 3);
        assertThat(bySize.ready()).allSatisfy(o -> assertThat(o.bytes()).isLessThanOrEqualTo(100));

        ShardBuffer byCount = new ShardBuffer(SHARD, keys, new PartitionSettings(1 << 20, 4, Duration.ofSeconds(10)));
        for (int i = 1; i <= 9; i++) {
            byCount.add(line(i), T0, pos(i));
        }
        assertThat(byCount.ready()).extracting(ArchiveObject::records).containsExactly(4, 4);
        assertThat(byCount.ready().get(1).key()).endsWith("-" + pos(5).sequenceNumber() + ".json");
    }

    @Test
    void objectsStartingInsideOneKplAggregateHaveDistinctKeysAndTheShardIsTheirSequenceNumbers() {
        ShardBuffer buffer = new ShardBuffer(SHARD, keys, new PartitionSettings(1 << 20, 4, Duration.ofSeconds(10)));
        for (int sub = 0; sub < 10; sub++) { // ten user records of one aggregate: one sequence number
            buffer.add(line(sub), T0, new RecordPosition(pos(7).sequenceNumber(), sub));
        }
        buffer.closeAll();

        assertThat(buffer.ready()).extracting(ArchiveObject::key).doesNotHaveDuplicates();
        assertThat(buffer.ready()).extracting(ArchiveObject::records).containsExactly(4, 4, 2);
        assertThat(buffer.ready().get(1).key()).endsWith("-" + pos(7).sequenceNumber() + "-4.json");
        assertThat(keys.firstSequenceOf(buffer.ready().get(1).key(), SHARD)).isEqualTo(pos(7).sequenceNumber());
    }

    @Test
    void aFiveMinuteIntervalKeepsFiveMinutesOfArrivalsInOneObjectAndTheNextWindowRollsIt() {
        PartitionSettings fiveMinutes = new PartitionSettings(1 << 20, 10_000, Duration.ofSeconds(300), Duration.ZERO);
        ShardBuffer buffer = new ShardBuffer(SHARD, keys, fiveMinutes);
        Instant window = Instant.parse("2026-11-26T09:05:00Z");
        buffer.add(line(1), window, pos(1));
        buffer.add(line(2), window.plusSeconds(150), pos(2));
        buffer.add(line(3), window.plusSeconds(299), pos(3));
        buffer.closeIfWindowOver(window.plusSeconds(299), true); // the window is not over yet
        assertThat(buffer.ready()).isEmpty();

        buffer.add(line(4), window.plusSeconds(300), pos(4)); // 09:10:00: the next window

        assertThat(buffer.ready())
                .singleElement()
                .satisfies(o -> assertThat(o.lines()).containsExactly(line(1), line(2), line(3)));
        buffer.closeIfWindowOver(window.plusSeconds(599), true);
        assertThat(buffer.ready()).hasSize(1);
        buffer.closeIfWindowOver(window.plusSeconds(600), true); // at the tip the interval's end closes it
        assertThat(buffer.ready()).hasSize(2);
    }

    @Test
    void windowsAreAlignedToTheUtcHourAndTheLastOneOfAnHourEndsAtTheHour() {
        PartitionSettings sevenMinutes = new PartitionSettings(1 << 20, 10_000, Duration.ofSeconds(420), Duration.ZERO);
        assertThat(sevenMinutes.windowStart(Instant.parse("2026-11-26T08:06:59.999Z")))
                .isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
        assertThat(sevenMinutes.windowStart(Instant.parse("2026-11-26T08:07:00Z")))
                .isEqualTo(Instant.parse("2026-11-26T08:07:00Z"));
        // 3600 s is not a multiple of 420 s: the hour's last window is 08:56-09:00, and 09:00 starts a new one
        assertThat(sevenMinutes.windowStart(Instant.parse("2026-11-26T08:59:59Z")))
                .isEqualTo(Instant.parse("2026-11-26T08:56:00Z"));
        assertThat(sevenMinutes.windowEnd(Instant.parse("2026-11-26T08:56:00Z")))
                .isEqualTo(Instant.parse("2026-11-26T09:00:00Z"));
        assertThat(sevenMinutes.windowStart(Instant.parse("2026-11-26T09:03:00Z")))
                .isEqualTo(Instant.parse("2026-11-26T09:00:00Z"));

        ShardBuffer buffer = new ShardBuffer(SHARD, keys, sevenMinutes);
        buffer.add(line(1), Instant.parse("2026-11-26T08:57:00Z"), pos(1));
        buffer.add(line(2), Instant.parse("2026-11-26T09:00:01Z"), pos(2)); // another hour folder: another object
        assertThat(buffer.ready())
                .singleElement()
                .satisfies(o -> assertThat(o.key()).startsWith("anomalies/2026/11/26/08/"));
    }

    @Test
    void theIntervalMustBeWholeSeconds() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new PartitionSettings(1 << 20, 1, Duration.ofMillis(60_500), Duration.ZERO));
    }

    @Test
    void replayingTheSameRecordsRebuildsTheSameObjectsWhateverTheBatchesLagAndFlushTimes() {
        for (Duration interval : List.of(Duration.ofSeconds(60), Duration.ofSeconds(420))) {
            PartitionSettings settings = new PartitionSettings(1 << 20, 70, interval, Duration.ofSeconds(10));
            // first run: caught up, batches of 5, the clock a few seconds after each batch's records
            List<ArchiveObject> live = run(settings, 5, 3, true);
            // replay: far behind (the clock hours ahead), batches of 17
            List<ArchiveObject> replay = run(settings, 17, 3 * 3600, false);
            assertSameObjects(live, replay);
        }
    }

    private static void assertSameObjects(List<ArchiveObject> live, List<ArchiveObject> replay) {
        assertThat(replay).hasSameSizeAs(live);
        for (int i = 0; i < live.size(); i++) {
            assertThat(replay.get(i).key()).isEqualTo(live.get(i).key());
            assertThat(replay.get(i).lines())
                    .containsExactlyElementsOf(live.get(i).lines());
        }
    }

    /**
     * 300 records spread over three minutes across an hour's end (one every 600 ms, with a 20 s pause in the second
     * minute), added in batches, each batch followed by the clock check a live consumer makes ({@code lagSeconds} after
     * its last record).
     */
    private List<ArchiveObject> run(PartitionSettings settings, int batch, long lagSeconds, boolean caughtUp) {
        ShardBuffer buffer = new ShardBuffer(SHARD, keys, settings);
        List<ArchiveObject> written = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            Instant arrival = T0.plusMillis(i * 600L + (i > 150 ? 20_000 : 0));
            buffer.add(line(i), arrival, pos(i));
            if (i % batch == 0) {
                buffer.closeIfWindowOver(arrival.plusSeconds(lagSeconds), caughtUp);
            }
            for (ArchiveObject object : buffer.ready()) {
                buffer.written(object);
                written.add(object);
            }
        }
        buffer.closeIfWindowOver(T0.plus(Duration.ofHours(4)), true);
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
}
