package io.tradeanomaly.localaws;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One npm emulator run as a child {@code node} process, with the loopback guard preloaded: it listens on the bind host
 * only (127.0.0.1 but in a container) and exits by itself when this JVM goes away (its stdin pipe closes), even after {@code kill -9}.
 */
final class NodeEmulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeEmulator.class);

    private final String name;
    private final Process process;
    private final Path logFile;

    private NodeEmulator(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code node <nodeOptions> -r <guard> <script> args...}, listening on {@code bindHost}, and waits until
     * {@code ready} holds. Options from {@code LOCAL_AWS_NODE_ARGS} follow {@code nodeOptions} (the last of a V8 flag
     * wins).
     *
     * @throws IllegalStateException when the process dies or is not ready within {@code timeout}, with its log's tail
     */
    static NodeEmulator start(
            String name,
            List<String> nodeOptions,
            Path script,
            List<String> args,
            Map<String, String> env,
            String bindHost,
            Path workDir,
            BooleanSupplier ready,
            Duration timeout) {
        workDir = workDir.toAbsolutePath();
        try {
            Files.createDirectories(workDir);
            Path guard = extractGuard(workDir);
            Path logFile = workDir.resolve(name + ".log");
            List<String> command = new ArrayList<>(List.of(node()));
            command.addAll(nodeOptions);
            command.addAll(nodeArgs());
            command.addAll(List.of("-r", guard.toString(), script.toString()));
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(script.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(env);
            builder.environment().put("LOCAL_AWS_BIND_HOST", bindHost);
            builder.environment()
                    .put(
                            "LOCAL_AWS_PARENT_PID",
                            Long.toString(ProcessHandle.current().pid()));
            Process process = builder.start(); // stdin stays a pipe: its EOF tells the guard to exit
            NodeEmulator emulator = new NodeEmulator(name, process, logFile);
            emulator.awaitReady(ready, timeout);
            log.info("{} ready (pid {}, log {})", name, process.pid(), logFile);
            return emulator;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private void awaitReady(BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + logTail());
            }
            try {
                Thread.sleep(50); // polling a child process's port: there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while starting " + name, e);
            }
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        log.info("{} stopped (pid {})", name, process.pid());
    }

    private static String node() {
        String configured = System.getenv("LOCAL_AWS_NODE");
        return configured != null && !configured.isBlank() ? configured : "node";
    }

    /**
     * Extra options for node from {@code LOCAL_AWS_NODE_ARGS} (space-separated), e.g. {@code --prof} to profile an
     * emulator under load (node refuses {@code --prof} in {@code NODE_OPTIONS}); the profile lands in the emulator's
     * folder.
     */
    private static List<String> nodeArgs() {
        String configured = System.getenv("LOCAL_AWS_NODE_ARGS");
        return configured == null || configured.isBlank()
                ? List.of()
                : List.of(configured.trim().split("\\s+"));
    }

    private static Path extractGuard(Path workDir) throws IOException {
        // one copy per JVM: integration tests run in two JVMs at once (it.forks), each starting emulators in workDir
        Path guard = workDir.resolve("loopback-guard-" + ProcessHandle.current().pid() + ".js");
        try (InputStream in = NodeEmulator.class.getResourceAsStream("loopback-guard.js")) {
            if (in == null) {
                throw new IllegalStateException("loopback-guard.js missing from the classpath");
            }
            Files.copy(in, guard, StandardCopyOption.REPLACE_EXISTING);
        }
        return guard;
    }

    @Override
    public String toString() {
        return name + "(pid " + process.pid() + ")";
    }
}
