package io.tradeanomaly.producer.publishing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tradeanomaly.common.kinesis.PutRecordsPublisher;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeCodec;
import io.tradeanomaly.producer.generator.TradeGenerator;
import io.tradeanomaly.producer.settings.ProducerSettings;
import io.tradeanomaly.producer.settings.SettingsStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * Emits one tick of trades every {@code tickIntervalMs} on its own thread, one tick at a time. When a tick takes
 * longer than the interval (a slow or throttled stream), the next one starts at once; ticks more than one interval
 * late are skipped and counted ({@code producer_ticks_skipped_total}) rather than queued, so work never piles up and
 * the rate stays as close to the configured one as the stream allows.
 */
public class TradeEmitter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TradeEmitter.class);

    private final TradeGenerator generator;
    private final SettingsStore settings;
    private final PutRecordsPublisher publisher;
    private final TradeCodec codec;
    private final Counter producedNormal;
    private final Counter producedInjected;
    private final Counter ticks;
    private final Counter skippedTicks;
    private final Timer tickDuration;
    private final AtomicLong lagMillis = new AtomicLong();
    private final Object wakeUp = new Object();

    private volatile boolean running;
    private Thread thread;

    public TradeEmitter(
            TradeGenerator generator,
            SettingsStore settings,
            PutRecordsPublisher publisher,
            TradeCodec codec,
            MeterRegistry registry) {
        this.generator = generator;
        this.settings = settings;
        this.publisher = publisher;
        this.codec = codec;
        this.producedNormal = produced(registry, "false");
        this.producedInjected = produced(registry, "true");
        this.ticks =
                Counter.builder("producer.ticks").description("Ticks emitted").register(registry);
        this.skippedTicks = Counter.builder("producer.ticks.skipped")
                .description("Ticks skipped because the previous ones ran late (stream slower than the rate)")
                .register(registry);
        this.tickDuration = Timer.builder("producer.tick.duration")
                .description("Time to generate and put one tick")
                .register(registry);
        Gauge.builder("producer.tick.lag", lagMillis, v -> v.get() / 1000.0)
                .description("How late the last tick started, behind its schedule")
                .baseUnit("seconds")
                .register(registry);
        settings.onChange(this::wake);
    }

    private static Counter produced(MeterRegistry registry, String injected) {
        return Counter.builder("trades.produced")
                .description("Trades accepted by the trades stream")
                .tag("injected", injected)
                .register(registry);
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::loop, "trade-emitter");
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        wake();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void wake() {
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    private void loop() {
        long due = System.nanoTime();
        while (running) {
            ProducerSettings current = settings.get();
            long interval = current.tickIntervalMs() * 1_000_000;
            if (!current.running()) {
                await(interval);
                due = System.nanoTime();
                continue;
            }
            long now = System.nanoTime();
            if (now < due) {
                await(due - now);
                continue; // settings may have changed while waiting
            }
            long late = now - due;
            if (late > interval) {
                long skipped = late / interval;
                skippedTicks.increment(skipped);
                due += skipped * interval;
            }
            lagMillis.set((now - due) / 1_000_000);
            try {
                tickDuration.record(() -> emit(current));
            } catch (RuntimeException e) {
                log.error("Tick failed", e);
            }
            due += interval;
        }
    }

    /** Generates and puts one tick; only trades the stream accepted are counted as produced. */
    void emit(ProducerSettings current) {
        List<Trade> trades = generator.tick(current.recordsPerTick(), current.generator());
        List<PutRecordsRequestEntry> entries = new ArrayList<>(trades.size());
        for (Trade trade : trades) {
            entries.add(PutRecordsPublisher.entry(trade.tickerSymbol(), codec.encode(trade)));
        }
        List<PutRecordsRequestEntry> unsent = publisher.publish(entries);
        Set<PutRecordsRequestEntry> failed = Collections.newSetFromMap(new IdentityHashMap<>());
        failed.addAll(unsent);
        for (int i = 0; i < trades.size(); i++) {
            if (!failed.contains(entries.get(i))) {
                (trades.get(i).isInjected() ? producedInjected : producedNormal).increment();
            }
        }
        ticks.increment();
    }

    private void await(long nanos) {
        synchronized (wakeUp) {
            try {
                wakeUp.wait(Math.max(1, nanos / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
