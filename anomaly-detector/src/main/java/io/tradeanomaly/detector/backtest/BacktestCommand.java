package io.tradeanomaly.detector.backtest;

import io.tradeanomaly.common.trade.RecordCodec;
import io.tradeanomaly.detector.system.DetectorProperties;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * {@code backtest --input trades.jsonl [--output scores.jsonl] [--detector.*=...]}: the live scoring code and settings
 * over a file, offline (no AWS, no web server). The last line of stdout is one JSON object with the figures.
 */
public final class BacktestCommand {

    private BacktestCommand() {}

    public static void run(String[] args) throws Exception {
        Path input = null;
        Path output = null;
        List<String> springArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            switch (name) {
                case "--input" -> input = Path.of(value != null ? value : args[++i]);
                case "--output" -> output = Path.of(value != null ? value : args[++i]);
                default -> springArgs.add(arg);
            }
        }
        if (input == null) {
            System.err.println("usage: backtest --input trades.jsonl [--output scores.jsonl] [--detector.*=...]");
            System.exit(2);
        }
        DetectorProperties properties;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Settings.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties("logging.level.root=WARN")
                .run(springArgs.toArray(String[]::new))) {
            properties = context.getBean(DetectorProperties.class);
        }
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
