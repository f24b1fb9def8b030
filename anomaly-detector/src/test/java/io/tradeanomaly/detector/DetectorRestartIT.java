package io.tradeanomaly.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tradeanomaly.common.kcl.KclConsumer;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.detector.scoring.ModelStore;
import io.tradeanomaly.detector.snapshots.S3ModelStore;
import io.tradeanomaly.detector.system.DetectorProperties;
import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Models survive the detector: after a graceful restart and after a crash (the consumer stopped dead, its lease left
 * to expire), the next detector restores each ticker's model from its snapshot and flags outliers at once, where a
 * fresh model would still be warming up; a corrupt snapshot is skipped with a log line and its model starts fresh.
 */
@ExtendWith({LocalAwsExtension.class, OutputCaptureExtension.class})
class DetectorRestartIT {

    private static final String[] TICKERS = {"RSA", "RSB"};
    private static final double[] PRICES = {45, 780};

    @Test
    void modelsResumeWithoutWarmUpAfterAGracefulRestartAndAfterACrash(
            LocalAwsStack stack, LocalAwsNamespace names, CapturedOutput output) {
        ConfigurableApplicationContext first = start(stack, names, "worker-1");
        DetectorITSupport.put(stack, names.tradesStream(), TestTrades.generate(TICKERS, PRICES, 1600, 0.05, 71));
        await().atMost(Duration.ofSeconds(150)).until(() -> scored(first) >= 1600);
        first.close(); // graceful: the final batch is checkpointed and the models snapshotted
        assertThat(stack.objectKeys(names.bucket(), "model-snapshots/anomaly-detector/key/"))
                .containsExactly(
                        "model-snapshots/anomaly-detector/key/RSA.bin.gz",
                        "model-snapshots/anomaly-detector/key/RSB.bin.gz");

        ConfigurableApplicationContext second = start(stack, names, "worker-2");
        List<Trade> afterRestart = TestTrades.generate(TICKERS, PRICES, 300, 0.1, 72); // ~150 per ticker: < warm-up
        DetectorITSupport.put(stack, names.tradesStream(), afterRestart);
        await().atMost(Duration.ofSeconds(150)).until(() -> scored(second) >= 300);
        assertThat(events(second, "restored")).isEqualTo(2);
        assertThat(events(second, "created")).isZero();
        assertFlagged(stack, names, afterRestart);

        // a crash: no graceful shutdown, no final checkpoint or snapshot; the periodic snapshot (2 s) is what is left
        await().atMost(Duration.ofSeconds(20)).until(() -> events(second, "saved") >= 2);
        second.getBean(KclConsumer.class).abort();
        second.close();
        stack.s3()
                .putObject(
                        b -> b.bucket(names.bucket()).key("model-snapshots/anomaly-detector/key/RSC.bin.gz"),
                        RequestBody.fromString("garbage, not a snapshot"));

        ConfigurableApplicationContext third = start(stack, names, "worker-3");
        try {
            List<Trade> afterCrash = new ArrayList<>(TestTrades.generate(TICKERS, PRICES, 300, 0.1, 73));
            afterCrash.addAll(TestTrades.generate(new String[] {"RSC"}, new double[] {20}, 50, 0, 74));
            Map<String, String> last = DetectorITSupport.put(stack, names.tradesStream(), afterCrash);
            // the crashed worker's lease must expire first (fast failover settings: ~10-20 s); then the third replays
            // what the crash left uncheckpointed, so a count of scored trades is no sign that afterCrash is done
            DetectorITSupport.awaitCheckpointed(stack, names.detectorApplication(), last);
            assertThat(events(third, "restored")).isEqualTo(2);
            assertThat(events(third, "unusable-snapshot")).isEqualTo(1);
            assertThat(events(third, "created")).isEqualTo(1);
            assertThat(output.getOut()).contains("Ignoring the snapshot of model RSC");
            assertFlagged(stack, names, afterCrash.subList(0, 300));
        } finally {
            third.close();
        }
    }

    @Test
    void aBatchWhoseScoringThrowsIsReplayedNeverSkipped(LocalAwsStack stack) {
        LocalAwsNamespace names = LocalAwsExtension.newNamespace("scoring-throws");
        ConfigurableApplicationContext detector = start(stack, names, "throws-once", FailingOnce.class);
        try {
            List<Trade> trades = TestTrades.generate(TICKERS, PRICES, 800, 0.05, 75);
            Map<String, String> last = DetectorITSupport.put(stack, names.tradesStream(), trades);
            // the first batch fails (an unexpected error reading a snapshot): the shard is released and replayed
            DetectorITSupport.awaitCheckpointed(stack, names.detectorApplication(), last);
            assertThat(scored(detector)).isEqualTo(trades.size());
            assertThat(detector.getBean(MeterRegistry.class)
                            .get("kcl.processor.failures")
                            .counter()
                            .count())
                    .isEqualTo(1);
        } finally {
            detector.close();
        }
    }

    @Test
    void detectorModelsCountsTheModelsHeldWhileLeasesMoveBetweenDetectors(LocalAwsStack stack) {
        LocalAwsNamespace names = LocalAwsExtension.newNamespace("models-gauge");
        String[] tickers = {"GA", "GB", "GC", "GD", "GE"};
        double[] prices = {10, 20, 30, 40, 50};
        ConfigurableApplicationContext first = start(stack, names, "gauge-1");
        ConfigurableApplicationContext second = null;
        try {
            DetectorITSupport.put(stack, names.tradesStream(), TestTrades.generate(tickers, prices, 500, 0, 76));
            await().atMost(Duration.ofSeconds(150)).until(() -> scored(first) >= 500);
            assertThat(models(first)).isEqualTo(tickers.length);

            second = start(stack, names, "gauge-2");
            first.getBean(KclConsumer.class).stop(); // its leases move: shutdown requested, then lease lost
            assertThat(models(first)).isZero();

            ConfigurableApplicationContext survivor = second;
            // the stopped worker removed its WorkerMetricStats entry, so the leader gives both leases to the survivor
            // and never back to the stopped worker (before that removal it did, for up to a minute: 3 models of 5)
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            survivor.getBean(KclConsumer.class).heldShards().size() == 2);
            Map<String, String> last = DetectorITSupport.put(
                    stack, names.tradesStream(), TestTrades.generate(tickers, prices, 500, 0, 77));
            // not "scored 500": the survivor may replay the first batch's uncheckpointed tail of one shard before it
            // takes the other, so a count can be reached while it holds only that shard's tickers
            DetectorITSupport.awaitCheckpointed(stack, names.detectorApplication(), last);
            assertThat(models(survivor)).isEqualTo(tickers.length);
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    /** A model store whose first read fails with an unexpected error (a bug, not S3 being unavailable). */
    @Configuration(proxyBeanMethods = false)
    static class FailingOnce {
        @Bean
        @Primary
        ModelStore failingOnce(S3Client s3, DetectorProperties properties) {
            S3ModelStore real = new S3ModelStore(s3, properties.snapshotBucket(), properties.snapshotPrefix());
            AtomicBoolean failed = new AtomicBoolean();
            return new ModelStore() {
                @Override
                public Optional<Stored> load(String key) {
                    if (failed.compareAndSet(false, true)) {
                        throw new IllegalStateException("a bug while reading " + key);
                    }
                    return real.load(key);
                }

                @Override
                public String save(String key, byte[] snapshot, String expectedVersion) {
                    return real.save(key, snapshot, expectedVersion);
                }
            };
        }
    }

    private static double models(ConfigurableApplicationContext context) {
        return context.getBean(MeterRegistry.class)
                .get("detector.models")
                .gauge()
                .value();
    }

    /** Every outlier of a batch too short for a warm-up was flagged: the models came back warm. */
    private static void assertFlagged(LocalAwsStack stack, LocalAwsNamespace names, List<Trade> trades) {
        Set<Long> outliers =
                trades.stream().filter(Trade::isInjected).map(Trade::id).collect(Collectors.toSet());
        assertThat(outliers).isNotEmpty();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(stack.readAll(names.anomaliesStream()).stream()
                                .map(r -> io.tradeanomaly.common.record.JsonRecords.parseObject(
                                                r.data().asByteArray(), 1 << 20)
                                        .get("id")
                                        .longValue())
                                .collect(Collectors.toSet()))
                        .containsAll(outliers));
    }

    private static ConfigurableApplicationContext start(
            LocalAwsStack stack, LocalAwsNamespace names, String worker, Class<?>... extra) {
        List<String> args = new ArrayList<>();
        stack.springProperties().forEach((k, v) -> args.add("--" + k + "=" + v));
        args.addAll(List.of(
                "--detector.source-stream=" + names.tradesStream(),
                "--detector.anomaly-stream=" + names.anomaliesStream(),
                "--detector.application-name=" + names.detectorApplication(),
                "--detector.dead-letter-bucket=" + names.bucket(),
                "--detector.snapshot-bucket=" + names.bucket(),
                "--detector.settings-bucket=" + names.bucket(),
                "--detector.snapshot-interval=2s",
                "--pipeline.aws.call-log=target/aws-calls/DetectorRestartIT-" + names.detectorApplication() + ".log",
                "--pipeline.kcl.worker-id=" + worker,
                "--pipeline.kcl.failover-time=3s",
                "--pipeline.kcl.lease-assignment-interval=1s",
                "--pipeline.kcl.leader-lease-duration=10s",
                "--pipeline.kcl.dispatch-poll-interval=200ms",
                "--pipeline.kcl.shard-sync-interval=1s",
                "--pipeline.kcl.shutdown-timeout=20s"));
        List<Class<?>> sources = new ArrayList<>(List.of(AnomalyDetectorApplication.class));
        sources.addAll(List.of(extra));
        return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
                .web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
    }

    private static double scored(ConfigurableApplicationContext context) {
        return context.getBean(MeterRegistry.class)
                .get("trades.scored")
                .counter()
                .count();
    }

    private static double events(ConfigurableApplicationContext context, String event) {
        return context.getBean(MeterRegistry.class)
                .get("detector.model.events")
                .tag("event", event)
                .counter()
                .count();
    }
}
