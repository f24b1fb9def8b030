package io.tradeanomaly.common.system;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The services' offline commands ({@code generate}, {@code backtest}): their own options ({@code --count 5} or
 * {@code --count=5}) apart, everything else is Spring's ({@code --producer.outlier-rate=0.01}), bound without a web
 * server and without AWS.
 *
 * @param options the command's own options by name
 * @param springArguments the rest, for Spring
 */
public record CommandLine(Map<String, String> options, List<String> springArguments) {

    /** Splits the arguments into the command's own options and Spring's. */
    public static CommandLine parse(String[] args, Set<String> optionNames) {
        Map<String, String> options = new HashMap<>();
        List<String> spring = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            if (optionNames.contains(name)) {
                if (equals < 0 && i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                options.put(name, equals < 0 ? args[++i] : arg.substring(equals + 1));
            } else {
                spring.add(arg);
            }
        }
        return new CommandLine(options, spring);
    }

    public String option(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }

    /**
     * Binds a {@code @ConfigurationProperties} type from the Spring arguments, with its validation, in a context that
     * holds nothing else (the configuration class enables just that type).
     */
    public <T> T bind(Class<?> configuration, Class<T> properties) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(configuration)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties("logging.level.root=WARN")
                .run(springArguments.toArray(String[]::new))) {
            return context.getBean(properties);
        }
    }
}
