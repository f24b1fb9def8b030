package io.tradeanomaly.common.system;

import java.io.PrintStream;
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
 * The services' commands ({@code generate}, {@code replay}, {@code backtest}): their own options ({@code --count 5} or
 * {@code --count=5}) apart, the rest are settings of the service ({@code --producer.outlier-rate=0.01}), bound as the
 * service binds them. {@link #execute} gives every command the same behaviour: {@code --help} prints the usage and
 * exits 0; an unknown option, a missing value, a bad setting or an unreadable file prints what is wrong (and the
 * usage) on stderr and exits 2.
 *
 * @param options the command's own options by name
 * @param springArguments the rest, for Spring
 */
public record CommandLine(Map<String, String> options, List<String> springArguments) {

    /** Exit status of a command whose arguments or input are wrong. */
    public static final int BAD_USAGE = 2;

    /** A command's body. */
    @FunctionalInterface
    public interface Command {
        /** Runs the command; a {@link BadUsageException} or {@link IllegalArgumentException} exits 2. */
        void run(CommandLine command) throws Exception;
    }

    /** Wrong arguments or input: the message is printed and the command exits 2. */
    public static class BadUsageException extends RuntimeException {
        public BadUsageException(String message) {
            super(message);
        }

        public BadUsageException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Runs a command and says how it ended: 0 when done or after {@code --help}, 2 when its usage or input is wrong.
     *
     * @param usage the usage text ({@code --help})
     * @param args the command's arguments
     * @param optionNames the command's own options, each taking a value
     * @param settingPrefixes the settings it takes besides ({@code detector.} for {@code --detector.threshold=2})
     */
    public static int execute(
            String usage, String[] args, Set<String> optionNames, Set<String> settingPrefixes, Command body)
            throws Exception {
        PrintStream err = System.err;
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println(usage);
                return 0;
            }
        }
        try {
            CommandLine command = parse(args, optionNames);
            for (String arg : command.springArguments()) {
                if (settingPrefixes.stream().noneMatch(prefix -> arg.startsWith("--" + prefix))) {
                    throw new BadUsageException("unknown option " + arg);
                }
            }
            body.run(command);
            return 0;
        } catch (BadUsageException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.println(usage);
            return BAD_USAGE;
        }
    }

    /** Splits the arguments into the command's own options and Spring's. */
    public static CommandLine parse(String[] args, Set<String> optionNames) {
        Map<String, String> options = new HashMap<>();
        List<String> spring = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            if (optionNames.contains(name)) {
                if (equals < 0 && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
                    throw new BadUsageException(name + " needs a value");
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

    /** A required option's value. */
    public String required(String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new BadUsageException(name + " is required");
        }
        return value;
    }

    /** An option's value as a number, or a {@link BadUsageException} naming it. */
    public long longOption(String name, long defaultValue) {
        String value = options.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new BadUsageException(name + " must be a whole number, not '" + value + "'");
        }
    }

    /**
     * Binds a {@code @ConfigurationProperties} type from the Spring arguments, with its validation, in a context that
     * holds nothing else (the configuration class enables just that type); a setting that is unknown or wrong is a
     * {@link BadUsageException} saying which.
     */
    public <T> T bind(Class<?> configuration, Class<T> properties) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(configuration)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties("logging.level.root=OFF")
                .run(springArguments.toArray(String[]::new))) {
            return context.getBean(properties);
        } catch (RuntimeException e) {
            throw new BadUsageException("bad setting: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        StringBuilder message = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null
                    && (t.getCause() == null || t.getClass().getName().contains("Bind"))) {
                if (!message.isEmpty()) {
                    message.append(": ");
                }
                message.append(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return message.toString();
    }
}
