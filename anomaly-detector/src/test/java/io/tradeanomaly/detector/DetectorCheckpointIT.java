package io.tradeanomaly.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Checkpoints move only after the anomalies of a batch are accepted: with the anomalies stream missing, publishing
 * fails, the checkpoints stay where they were while the detector retries; once the stream exists the same anomalies
 * are published and the checkpoints reach the last record of each shard.
 */
@ExtendWith(LocalAwsExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class DetectorCheckpointIT {

    private static final LocalAwsNamespace NAMES = LocalAwsExtension.newNamespace("DetectorCheckpointIT");
    private static final String MISSING_STREAM = "anomalies-created-later-" + System.nanoTime();

    @Autowired
    MeterRegistry registry;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        DetectorITSupport.properties(registry, LocalAwsExtension.sharedStack(), NAMES, MISSING_STREAM);
    }

    @Test
    void checkpointsWaitForTheAnomaliesToBeAccepted(LocalAwsStack stack) {
        // the models' warm-up first, without outliers: nothing to publish, so it is handed on and checkpointed
        List<Trade> warmUp = TestTrades.generate(new String[] {"CKA", "CKB"}, new double[] {30, 600}, 700, 0, 40);
        Map<String, String> warmedUp = DetectorITSupport.put(stack, NAMES.tradesStream(), warmUp);
        await().atMost(Duration.ofSeconds(120))
                .untilAsserted(() -> assertThat(DetectorITSupport.checkpoints(stack, NAMES.detectorApplication()))
                        .isEqualTo(warmedUp));
        assertThat(registry.get("trades.scored").counter().count()).isEqualTo(warmUp.size());

        // then trades with outliers: scored, and blocked on publishing, whatever batches KCL reads them in: nothing
        // more counted as scored (a trade is counted once its batch is handed on), and the checkpoints do not move
        List<Trade> trades = TestTrades.generate(new String[] {"CKA", "CKB"}, new double[] {30, 600}, 500, 0.1, 41);
        Map<String, String> lastSequence = DetectorITSupport.put(stack, NAMES.tradesStream(), trades);
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        registry.get("kinesis.put.retried.records").counter().count() > 0);
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(DetectorITSupport.checkpoints(stack, NAMES.detectorApplication()))
                    .isEqualTo(warmedUp);
            assertThat(registry.get("trades.scored").counter().count()).isEqualTo(warmUp.size());
        });

        stack.createStream(MISSING_STREAM, 1);

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(DetectorITSupport.checkpoints(stack, NAMES.detectorApplication()))
                        .isEqualTo(lastSequence));
        Set<Long> injected =
                trades.stream().filter(Trade::isInjected).map(Trade::id).collect(Collectors.toSet());
        Set<Long> published = stack.readAll(MISSING_STREAM).stream()
                .map(r -> io.tradeanomaly.common.record.JsonRecords.parseObject(
                                r.data().asByteArray(), 1 << 20)
                        .get("id")
                        .longValue())
                .collect(Collectors.toSet());
        assertThat(published).isNotEmpty();
        assertThat(injected).containsAll(published);
        assertThat(registry.get("trades.scored").counter().count()).isEqualTo(warmUp.size() + trades.size());
    }
}
