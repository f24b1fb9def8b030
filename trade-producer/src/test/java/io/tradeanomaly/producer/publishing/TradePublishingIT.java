package io.tradeanomaly.producer.publishing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tradeanomaly.common.kinesis.PutRecordsPublisher;
import io.tradeanomaly.common.retry.Backoff;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeCodec;
import io.tradeanomaly.localaws.LocalAwsStack;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import io.tradeanomaly.producer.generator.GeneratorSettings;
import io.tradeanomaly.producer.generator.TradeGenerator;
import io.tradeanomaly.producer.generator.TradeIds;
import io.tradeanomaly.producer.system.ProducerProperties;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * PutRecords with partial failures, against the real emulator: a wrapper around the real client refuses chosen
 * entries (as Kinesis does under throttling, with a per-entry ProvisionedThroughputExceededException) and forwards
 * the rest. Only the failed entries are retried, so every trade lands exactly once.
 */
@ExtendWith(LocalAwsExtension.class)
class TradePublishingIT {

    private static final TradeCodec CODEC = new TradeCodec();

    @Test
    void everyRecordLandsExactlyOnceDespitePartialFailures(LocalAwsStack stack) {
        String stream = "publishing-partial-" + System.nanoTime();
        stack.createStream(stream, 2);
        Map<SdkBytes, AtomicInteger> attempts = new ConcurrentHashMap<>();
        // Every third record is refused on its first two attempts.
        KinesisAsyncClient flaky = failing(
                stack.kinesis(),
                entry -> entry.data().asUtf8String().hashCode() % 3 == 0
                        && attempts.computeIfAbsent(entry.data(), d -> new AtomicInteger())
                                        .incrementAndGet()
                                <= 2);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PutRecordsPublisher publisher = new PutRecordsPublisher(
                flaky, stream, new Backoff(5, Duration.ofMillis(5), Duration.ofMillis(50)), registry);
        List<Trade> trades = trades(1000);

        List<PutRecordsRequestEntry> unsent = publisher.publish(entries(trades));

        assertThat(unsent).isEmpty();
        assertThat(attempts).isNotEmpty();
        assertThat(registry.get("kinesis.put.retried.records").counter().count())
                .isGreaterThanOrEqualTo(2 * attempts.size());
        Map<Long, Long> landed = stack.readAll(stream).stream()
                .map(r -> CODEC.decodeTrade(r.data().asByteArray()).id())
                .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        assertThat(landed).hasSize(1000);
        assertThat(landed.values()).allMatch(count -> count == 1);
        assertThat(landed.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        trades.stream().map(Trade::id).toList());
    }

    @Test
    void recordsStillFailingAfterTheBoundAreReturnedAndCountedNotDropped(LocalAwsStack stack) {
        String stream = "publishing-bound-" + System.nanoTime();
        stack.createStream(stream, 1);
        List<Trade> trades = trades(100);
        long doomedId = trades.get(17).id();
        KinesisAsyncClient flaky = failing(
                stack.kinesis(),
                entry -> CODEC.decodeTrade(entry.data().asByteArray()).id() == doomedId);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PutRecordsPublisher publisher = new PutRecordsPublisher(
                flaky, stream, new Backoff(3, Duration.ofMillis(5), Duration.ofMillis(20)), registry);

        List<PutRecordsRequestEntry> unsent = publisher.publish(entries(trades));

        assertThat(unsent)
                .extracting(e -> CODEC.decodeTrade(e.data().asByteArray()).id())
                .containsExactly(doomedId);
        assertThat(registry.get("kinesis.put.failed.records")
                        .tag("stream", stream)
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(stack.readAll(stream)).hasSize(99);
    }

    private static List<Trade> trades(int count) {
        Clock clock = Clock.systemUTC();
        TradeGenerator generator =
                new TradeGenerator(ProducerProperties.defaultTickers(), 1, clock, new TradeIds(clock, 9));
        return generator.tick(count, GeneratorSettings.defaults());
    }

    private static List<PutRecordsRequestEntry> entries(List<Trade> trades) {
        return trades.stream()
                .map(t -> PutRecordsPublisher.entry(t.tickerSymbol(), CODEC.encode(t)))
                .toList();
    }

    /**
     * The real client, except that PutRecords refuses the entries {@code refuse} picks (they are not forwarded) and
     * answers for them with ProvisionedThroughputExceededException, in their positions, like Kinesis does.
     */
    @SuppressWarnings("unchecked")
    private static KinesisAsyncClient failing(KinesisAsyncClient real, Predicate<PutRecordsRequestEntry> refuse) {
        return (KinesisAsyncClient) Proxy.newProxyInstance(
                KinesisAsyncClient.class.getClassLoader(),
                new Class<?>[] {KinesisAsyncClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("putRecords")) {
                        PutRecordsRequest request = args[0] instanceof PutRecordsRequest r
                                ? r
                                : PutRecordsRequest.builder()
                                        .applyMutation((Consumer<PutRecordsRequest.Builder>) args[0])
                                        .build();
                        return putRecords(real, request, refuse);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static CompletableFuture<PutRecordsResponse> putRecords(
            KinesisAsyncClient real, PutRecordsRequest request, Predicate<PutRecordsRequestEntry> refuse) {
        List<Boolean> refused = request.records().stream().map(refuse::test).toList();
        List<PutRecordsRequestEntry> forwarded = new ArrayList<>();
        for (int i = 0; i < refused.size(); i++) {
            if (!refused.get(i)) {
                forwarded.add(request.records().get(i));
            }
        }
        CompletableFuture<List<PutRecordsResultEntry>> accepted = forwarded.isEmpty()
                ? CompletableFuture.completedFuture(List.of())
                : real.putRecords(b -> b.streamName(request.streamName()).records(forwarded))
                        .thenApply(PutRecordsResponse::records);
        return accepted.thenApply(results -> {
            List<PutRecordsResultEntry> merged = new ArrayList<>();
            int next = 0;
            int failures = 0;
            for (Boolean wasRefused : refused) {
                if (wasRefused) {
                    failures++;
                    merged.add(PutRecordsResultEntry.builder()
                            .errorCode("ProvisionedThroughputExceededException")
                            .errorMessage("Rate exceeded for shard (test)")
                            .build());
                } else {
                    PutRecordsResultEntry result = results.get(next++);
                    if (result.errorCode() != null) {
                        failures++;
                    }
                    merged.add(result);
                }
            }
            return PutRecordsResponse.builder()
                    .records(merged)
                    .failedRecordCount(failures)
                    .build();
        });
    }
}
