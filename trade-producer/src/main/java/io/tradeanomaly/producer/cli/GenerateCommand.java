package io.tradeanomaly.producer.cli;

import io.tradeanomaly.common.system.CommandLine;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeCodec;
import io.tradeanomaly.producer.generator.TradeGenerator;
import io.tradeanomaly.producer.generator.TradeIds;
import io.tradeanomaly.producer.settings.ProducerSettings;
import io.tradeanomaly.producer.system.ProducerProperties;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * {@code generate --count N [--seed S] [--output FILE] [--start ISO-INSTANT] [--producer.*=...]}: writes the live
 * generator's trades, with their {@code injected} labels, as JSON lines, for backtests. No AWS and no web server.
 * Trade times advance one tick interval per tick from {@code --start} (default 2026-01-01T00:00:00Z), so the same
 * seed and settings give the same file byte for byte.
 */
public final class GenerateCommand {

    private GenerateCommand() {}

    static final String USAGE = """
            usage: generate [--count N] [--seed S] [--output FILE] [--start ISO-INSTANT] [--producer.<setting>=...]

            Writes the live generator's trades, with their "injected" labels, as JSON lines (for backtests).
              --count N       trades to write (default 200000)
              --seed S        seed of the generator (default 42): the same seed and settings give the same file
              --output FILE   where to write (default stdout)
              --start TIME    the first trade's time (default 2026-01-01T00:00:00Z); then one tick interval a tick
              --producer.*    the producer's settings, e.g. --producer.outlier-rate=0.01
            Progress goes to stderr. Exit status: 0 done, 2 bad option.""";

    public static int run(String[] args) throws Exception {
        return CommandLine.execute(
                USAGE,
                args,
                Set.of("--count", "--seed", "--output", "--start"),
                Set.of("producer.", "logging."),
                GenerateCommand::generate);
    }

    private static void generate(CommandLine command) throws IOException {
        long count = command.longOption("--count", 200_000);
        long seed = command.longOption("--seed", 42);
        if (count < 0) {
            throw new CommandLine.BadUsageException("--count must not be negative");
        }
        Path output = command.options().containsKey("--output") ? Path.of(command.required("--output")) : null;
        Instant start;
        try {
            start = Instant.parse(command.option("--start", "2026-01-01T00:00:00Z"));
        } catch (java.time.format.DateTimeParseException e) {
            throw new CommandLine.BadUsageException("--start must be an ISO-8601 instant, e.g. 2026-01-01T00:00:00Z");
        }
        ProducerProperties properties = command.bind(Settings.class, ProducerProperties.class);
        ProducerSettings settings = properties.initialSettings();
        SimulatedClock clock = new SimulatedClock(start);
        TradeGenerator generator = new TradeGenerator(properties.tickerUniverse(), seed, clock, new TradeIds(clock, 0));
        TradeCodec codec = new TradeCodec();
        try (OutputStream out = output == null
                ? new BufferedOutputStream(System.out, 1 << 16)
                : new BufferedOutputStream(Files.newOutputStream(output), 1 << 16)) {
            long written = 0;
            while (written < count) {
                int n = (int) Math.min(settings.recordsPerTick(), count - written);
                for (Trade trade : generator.tick(n, settings.generator())) {
                    out.write(codec.encode(trade));
                    out.write('\n');
                }
                written += n;
                clock.advance(Duration.ofMillis(settings.tickIntervalMs()));
                if (written % 1_000_000 < n && written < count) {
                    System.err.printf("generate: %,d of %,d trades%n", written, count);
                }
            }
            out.flush();
        }
        if (output != null) {
            System.err.printf(
                    "Wrote %d trades (outlier rate %.3f, seed %d) to %s%n",
                    count, settings.outlierRate(), seed, output);
        }
    }

    /** Only the producer's settings are bound: nothing else of the application starts. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ProducerProperties.class)
    static class Settings {}

    /** A clock that moves only when told to, so generated files are reproducible. */
    private static final class SimulatedClock extends Clock {
        private Instant now;

        SimulatedClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
