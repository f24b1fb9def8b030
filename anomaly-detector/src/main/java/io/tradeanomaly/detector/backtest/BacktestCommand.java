package io.tradeanomaly.detector.backtest;

import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.common.system.CommandLine;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import io.tradeanomaly.detector.system.DetectorProperties;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * {@code backtest --input FILE [--output FILE] [--detector.*=...]}: the live scoring code and settings over a file of
 * any stream, offline (no AWS, no web server). The last line of stdout is one JSON object with the figures.
 */
public final class BacktestCommand {

    static final String USAGE = """
            usage: backtest --input FILE [--output FILE] [--detector.<setting>=<value> ...]

            Scores every record of FILE with the detector's live scoring code, offline (no AWS).
              --input FILE    JSON lines, or CSV with a header line (told apart by the first character)
              --output FILE   one JSON line per record, in input order: the record's fields, ANOMALY_SCORE,
                              ANOMALY_EXPLANATION (null unless anomalous) and "anomaly": true|false; a record that
                              cannot be scored gets "rejected" (the reason) instead
              --detector.*    the detector's settings, e.g. what the records are:
                                --detector.input.key=device.id      (empty: one model)
                                --detector.input.features=temperature,Inlet Pressure kPa
                                --detector.input.time=timestamp     (empty: line order)
                              and how they are scored: --detector.method=kda, --detector.threshold=1.5
            The last line of stdout is a JSON object with the figures (records, anomalies, rejected, records/s,
            precision and recall when the records carry a label). Progress goes to stderr.
            Exit status: 0 done, 2 bad option, bad setting or unreadable input.""";

    private BacktestCommand() {}

    public static int run(String[] args) throws Exception {
        return CommandLine.execute(
                USAGE, args, Set.of("--input", "--output"), Set.of("detector."), BacktestCommand::backtest);
    }

    private static void backtest(CommandLine command) throws IOException {
        Path input = Path.of(command.required("--input"));
        Path output = command.options().containsKey("--output") ? Path.of(command.required("--output")) : null;
        DetectorProperties properties = command.bind(Settings.class, DetectorProperties.class);
        ScoringSettings scoring;
        try {
            scoring = properties.scoring();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.BadUsageException("bad setting: " + e.getMessage(), e);
        }
        ExecutorService executor =
                properties.parallelism() > 1 ? Executors.newFixedThreadPool(properties.parallelism()) : null;
        long started = System.nanoTime();
        try (BufferedReader reader = open(input);
                OutputStream out =
                        output == null ? null : new BufferedOutputStream(Files.newOutputStream(output), 1 << 16)) {
            Backtest backtest = new Backtest(
                    scoring, properties.schema(), properties.layout(), properties.maxRecordBytes(), executor);
            Map<String, Object> result = backtest.run(
                    reader,
                    out,
                    read -> System.err.printf(
                            "backtest: %,d records read (%.0f s)%n", read, (System.nanoTime() - started) / 1e9));
            System.out.println(new String(JsonRecords.encode(result), StandardCharsets.UTF_8));
        } finally {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }

    private static BufferedReader open(Path input) {
        try {
            return Files.newBufferedReader(input, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CommandLine.BadUsageException("cannot read --input " + input + ": no such file");
        } catch (IOException e) {
            throw new CommandLine.BadUsageException("cannot read --input " + input + ": " + e.getMessage());
        }
    }

    /** Only the detector's settings are bound: nothing else of the application starts. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DetectorProperties.class)
    static class Settings {}
}
