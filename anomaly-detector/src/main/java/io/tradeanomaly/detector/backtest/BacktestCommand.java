package io.tradeanomaly.detector.backtest;

import io.tradeanomaly.common.system.CommandLine;
import io.tradeanomaly.common.trade.RecordCodec;
import io.tradeanomaly.detector.system.DetectorProperties;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * {@code backtest --input trades.jsonl [--output scores.jsonl] [--detector.*=...]}: the live scoring code and settings
 * over a file, offline (no AWS, no web server). The last line of stdout is one JSON object with the figures.
 */
public final class BacktestCommand {

    private BacktestCommand() {}

    public static void run(String[] args) throws Exception {
        CommandLine command = CommandLine.parse(args, Set.of("--input", "--output"));
        if (!command.options().containsKey("--input")) {
            System.err.println("usage: backtest --input trades.jsonl [--output scores.jsonl] [--detector.*=...]");
            System.exit(2);
        }
        Path input = Path.of(command.option("--input", null));
        Path output = command.options().containsKey("--output") ? Path.of(command.option("--output", null)) : null;
        DetectorProperties properties = command.bind(Settings.class, DetectorProperties.class);
        ExecutorService executor =
                properties.parallelism() > 1 ? Executors.newFixedThreadPool(properties.parallelism()) : null;
        try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8);
                OutputStream out =
                        output == null ? null : new BufferedOutputStream(Files.newOutputStream(output), 1 << 16)) {
            Map<String, Object> result = new Backtest(properties.scoring(), executor).run(reader, out);
            System.out.println(new String(new RecordCodec().encodeValue(result), StandardCharsets.UTF_8));
        } finally {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }

    /** Only the detector's settings are bound: nothing else of the application starts. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DetectorProperties.class)
    static class Settings {}
}
