package io.tradeanomaly.archiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradeanomaly.archiver.partitioning.PartitionSettings;
import io.tradeanomaly.common.kcl.KclConsumer;
import io.tradeanomaly.common.record.Anomaly;
import io.tradeanomaly.common.s3.NdjsonStore;
import io.tradeanomaly.common.s3.S3NdjsonStore;
import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import tools.jackson.databind.JsonNode;

/**
 * Exactly once where it is hard (issue 13): a stale owner frozen past failover, a lagging replay with other batch
 * sizes, a crash further behind than the dedupe horizon, a reshard of the anomalies stream with republished anomalies,
 * and two producer replicas whose trade ids collide. Each runs real archivers (KCL consumers) on the local stack.
 */
@ExtendWith(LocalAwsExtension.class)
class ArchiverExactlyOnceIT {

    private static final Duration HORIZON = Duration.ofMinutes(10);

    @Test
    void aStaleOwnerFrozenPastFailoverNeverShortensAnObjectTheNewOwnerWrote(LocalAwsStack stack) throws Exception {
        LocalAwsNamespace names = LocalAwsExtension.newNamespace("stale-owner");
        List<Anomaly> sent = ArchiverITSupport.anomalies(200);
        ArchiverITSupport.put(stack, names.anomaliesStream(), ArchiverITSupport.entries(sent));
        NdjsonStore s3 = new S3NdjsonStore(stack.s3(), names.bucket());

        // the old owner cuts objects of 50 records (an older configuration) and freezes in its first write
        CountDownLatch frozen = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        AtomicInteger staleWrites = new AtomicInteger();
        NdjsonStore freezing = new ArchiverITSupport.DelegatingStore(s3) {
            @Override
            public Outcome write(String key, List<byte[]> lines, boolean gzip, Function<byte[], String> identity) {
                if (frozen.getCount() > 0) {
                    frozen.countDown();
                    hold(resume);
                    staleWrites.incrementAndGet();
                }
                return super.write(key, lines, gzip, identity);
            }
        };
        KclConsumer old = ArchiverITSupport.consumer(stack, names, freezing, "old", objects(50), HORIZON, 10_000, "");
        old.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> frozen.getCount() == 0);
        old.abort(); // its lease is no longer renewed; its processor thread stays frozen inside the write

        KclConsumer owner = ArchiverITSupport.consumer(stack, names, s3, "new", objects(100), HORIZON, 10_000, "");
        owner.start();
        try {
            await().atMost(Duration.ofSeconds(120))
                    .untilAsserted(() -> assertThat(identities(stack, names)).containsAll(identitiesOf(sent)));
            Map<String, List<JsonNode>> before = ArchiverITSupport.archive(stack, names.bucket(), "");
            assertThat(before.values()).extracting(List::size).containsExactly(100, 100);

            resume.countDown(); // the stale owner wakes up and completes its write of records 1..50
            await().atMost(Duration.ofSeconds(30)).until(() -> staleWrites.get() == 1);
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(ArchiverITSupport.archive(stack, names.bucket(), ""))
                            .isEqualTo(before));
            assertThat(ArchiverITSupport.identityCounts(before).values()).allMatch(n -> n == 1);
        } finally {
            resume.countDown();
            owner.stop();
        }
    }

    @Test
    void aLaggingReplayWithOtherBatchSizesRebuildsByteIdenticalObjectsAndDeadLetters(LocalAwsStack stack)
            throws Exception {
        LocalAwsNamespace names = LocalAwsExtension.newNamespace("lagging-replay");
        // 24 s of anomalies from second 48 of a minute: two minutes of arrival times, and two bad records
        await().atMost(Duration.ofSeconds(70))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Instant.now().atZone(ZoneOffset.UTC).getSecond() == 48);
        Instant start = Instant.now();
        List<Anomaly> sent = new ArrayList<>();
        await().pollInterval(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(40))
                .until(() -> {
                    List<Anomaly> batch = ArchiverITSupport.anomalies(25);
                    List<PutRecordsRequestEntry> entries = new ArrayList<>(ArchiverITSupport.entries(batch));
                    if (sent.size() == 250) {
                        entries.add(raw("{\"tickerSymbol\":\"X\",\"price\":1}"));
                        entries.add(raw("garbage"));
                    }
                    ArchiverITSupport.put(stack, names.anomaliesStream(), entries);
                    sent.addAll(batch);
                    return Duration.between(start, Instant.now()).toSeconds() >= 24;
                });

        // both start behind: one reads 7 records per GetRecords, the other 10,000, under two prefixes
        NdjsonStore s3 = new S3NdjsonStore(stack.s3(), names.bucket());
        PartitionSettings settings = new PartitionSettings(1 << 20, 40, Duration.ofSeconds(2));
        KclConsumer small = ArchiverITSupport.consumer(
                stack,
                names.anomaliesStream(),
                names.archiverApplication() + "-small",
                s3,
                "small",
                settings,
                HORIZON,
                7,
                "small/",
                Clock.systemUTC());
        KclConsumer large = ArchiverITSupport.consumer(
                stack,
                names.anomaliesStream(),
                names.archiverApplication() + "-large",
                s3,
                "large",
                settings,
                HORIZON,
                10_000,
                "large/",
                Clock.systemUTC());
        small.start();
        large.start();
        try {
            await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> {
                assertThat(identitiesUnder(stack, names, "small/")).containsAll(identitiesOf(sent));
                assertThat(identitiesUnder(stack, names, "large/")).containsAll(identitiesOf(sent));
                assertThat(stack.objectKeys(names.bucket(), "errors/small/")).isNotEmpty();
                assertThat(stack.objectKeys(names.bucket(), "errors/large/")).isNotEmpty();
            });
            assertThat(contents(stack, names, "small/")).isNotEmpty().isEqualTo(contents(stack, names, "large/"));
            assertThat(contents(stack, names, "errors/small/")).isEqualTo(contents(stack, names, "errors/large/"));
            assertThat(contents(stack, names, "small/").keySet())
                    .as("objects of 40 records in two minutes")
                    .hasSizeBetween(sent.size() / 40 + 1, sent.size() / 40 + 3);
        } finally {
            small.stop();
            large.stop();
        }
    }

    @Test
    void aCrashFurtherBehindThanTheDedupeHorizonStillDropsARepublishedAnomaly(LocalAwsStack stack) throws Exception {
        LocalAwsNamespace names = LocalAwsExtension.newNamespace("behind-horizon");
        List<Anomaly> first = ArchiverITSupport.anomalies(5);
        List<Anomaly> second = new ArrayList<>(ArchiverITSupport.anomalies(4));
        second.add(2, ArchiverITSupport.republished(first.get(1))); // the detector published it again
        ArchiverITSupport.put(stack, names.anomaliesStream(), ArchiverITSupport.entries(first));
        ArchiverITSupport.put(stack, names.anomaliesStream(), ArchiverITSupport.entries(second));
        NdjsonStore s3 = new S3NdjsonStore(stack.s3(), names.bucket());

        // objects of 5, read 5 at a time: the first object is written and checkpointed, then the worker dies
        CountDownLatch dead = new CountDownLatch(1);
        CountDownLatch buried = new CountDownLatch(1);
        AtomicInteger writes = new AtomicInteger();
        NdjsonStore dying = new ArchiverITSupport.DelegatingStore(s3) {
            @Override
            public Outcome write(String key, List<byte[]> lines, boolean gzip, Function<byte[], String> identity) {
                if (writes.incrementAndGet() == 2) {
                    dead.countDown();
                    hold(buried);
                    throw new Error("kill -9");
                }
                return super.write(key, lines, gzip, identity);
            }
        };
        PartitionSettings fives = new PartitionSettings(1 << 20, 5, Duration.ofSeconds(2));
        KclConsumer a = ArchiverITSupport.consumer(
                stack,
                names.anomaliesStream(),
                names.archiverApplication(),
                dying,
                "a",
                fives,
                HORIZON,
                5,
                "",
                Clock.systemUTC());
        a.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> dead.getCount() == 0);
        a.abort();

        // the next worker is far behind: its clock says the records arrived 30 minutes ago (3 x the horizon)
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(30));
        KclConsumer b = ArchiverITSupport.consumer(
                stack, names.anomaliesStream(), names.archiverApplication(), s3, "b", fives, HORIZON, 5, "", later);
        b.start();
        try {
            await().atMost(Duration.ofSeconds(120))
                    .untilAsserted(() -> assertThat(identities(stack, names)).containsAll(identitiesOf(second)));
            Map<String, List<JsonNode>> archive = ArchiverITSupport.archive(stack, names.bucket(), "");
            assertThat(ArchiverITSupport.identityCounts(archive).values()).allMatch(n -> n == 1);
            assertThat(ArchiverITSupport.idCounts(archive)).containsEntry(TradeAnomalies.id(first.get(1)), 1);
        } finally {
            buried.countDown();
            b.stop();
        }
    }

    @Test
    void afterAReshardOfTheAnomaliesStreamRepublishedAnomaliesLandOnceAndCollidingTradeIdsBothLand(LocalAwsStack stack)
            throws Exception {
        LocalAwsNamespace names = LocalAwsExtension.newNamespace("reshard-anomalies");
        List<Anomaly> before = ArchiverITSupport.anomalies(30);
        ArchiverITSupport.put(stack, names.anomaliesStream(), ArchiverITSupport.entries(before));
        NdjsonStore s3 = new S3NdjsonStore(stack.s3(), names.bucket());
        KclConsumer archiver = ArchiverITSupport.consumer(
                stack,
                names,
                s3,
                "archiver",
                new PartitionSettings(1 << 20, 100_000, Duration.ofSeconds(2)),
                HORIZON,
                10_000,
                "");
        archiver.start();
        try {
            await().atMost(Duration.ofSeconds(120))
                    .untilAsserted(() -> assertThat(identities(stack, names)).containsAll(identitiesOf(before)));

            stack.kinesis()
                    .updateShardCount(b -> b.streamName(names.anomaliesStream())
                            .targetShardCount(2)
                            .scalingType(ScalingType.UNIFORM_SCALING))
                    .join();
            List<Anomaly> after = new ArrayList<>();
            before.forEach(a -> after.add(ArchiverITSupport.republished(a))); // now on the children
            List<Anomaly> fresh = ArchiverITSupport.anomalies(20);
            after.addAll(fresh);
            // a second producer replica whose trade ids collide with the first one's: distinct anomalies
            fresh.stream().limit(5).forEach(a -> after.add(otherReplica(a)));
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                ArchiverITSupport.put(stack, names.anomaliesStream(), ArchiverITSupport.entries(after));
                return true;
            });

            Set<String> expected = identitiesOf(before);
            expected.addAll(identitiesOf(after));
            await().atMost(Duration.ofSeconds(150))
                    .untilAsserted(() -> assertThat(identities(stack, names)).containsAll(expected));
            Map<String, List<JsonNode>> archive = ArchiverITSupport.archive(stack, names.bucket(), "");
            assertThat(ArchiverITSupport.identityCounts(archive))
                    .hasSize(30 + 20 + 5)
                    .allSatisfy(
                            (identity, count) -> assertThat(count).as(identity).isEqualTo(1));
            assertThat(archive.keySet().stream()
                            .map(key -> key.replaceAll(".*-(shardId-\\d+)-\\d+\\.json$", "$1"))
                            .collect(Collectors.toSet()))
                    .as("objects of the parent and of the children")
                    .hasSizeGreaterThanOrEqualTo(2);
        } finally {
            archiver.stop();
        }
    }

    private static Anomaly otherReplica(Anomaly anomaly) {
        return TradeAnomalies.rescored(
                anomaly,
                1.5,
                anomaly.anomalyScore(),
                anomaly.detectedAt(),
                new Anomaly.Source("shardId-000000000001", anomaly.source().sequenceNumber(), anomaly.arrivalTime()));
    }

    private static PartitionSettings objects(int records) {
        return new PartitionSettings(1 << 20, records, Duration.ofSeconds(2));
    }

    private static PutRecordsRequestEntry raw(String text) {
        return PutRecordsRequestEntry.builder()
                .partitionKey("bad")
                .data(SdkBytes.fromUtf8String(text))
                .build();
    }

    private static Set<String> identitiesOf(List<Anomaly> anomalies) {
        return anomalies.stream().map(Anomaly::identity).collect(Collectors.toSet());
    }

    private static Set<String> identities(LocalAwsStack stack, LocalAwsNamespace names) {
        return identitiesUnder(stack, names, "");
    }

    private static Set<String> identitiesUnder(LocalAwsStack stack, LocalAwsNamespace names, String prefix) {
        return ArchiverITSupport.identityCounts(ArchiverITSupport.archive(stack, names.bucket(), prefix))
                .keySet();
    }

    /** Every object under a prefix, by key without the prefix, as text. */
    private static Map<String, String> contents(LocalAwsStack stack, LocalAwsNamespace names, String prefix) {
        Map<String, String> contents = new TreeMap<>();
        for (String key : stack.objectKeys(names.bucket(), prefix)) {
            contents.put(key.substring(prefix.length()), stack.objectText(names.bucket(), key));
        }
        return contents;
    }

    private static void hold(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
