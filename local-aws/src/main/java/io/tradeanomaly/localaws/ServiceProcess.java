package io.tradeanomaly.localaws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the pipeline's services run from its executable jar as a separate process, for end-to-end and monitoring
 * tests: real processes that can be stopped gracefully (SIGTERM) or killed (SIGKILL) and started again. It is
 * stopped with the test JVM at the latest.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final List<String> arguments;
    private final Map<String, String> environment;
    private final Path logFile;
    private final int port;
    private Process process;

    /**
     * @param name a name for logs
     * @param jar the service's executable jar
     * @param port its HTTP port (passed as {@code --server.port})
     * @param arguments further Spring arguments ({@code --key=value})
     * @param environment extra environment variables
     * @param logDir where {@code <name>.log} goes
     */
    public ServiceProcess(
            String name, Path jar, int port, List<String> arguments, Map<String, String> environment, Path logDir) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.arguments = List.copyOf(arguments);
        this.environment = Map.copyOf(environment);
        this.logFile = logDir.resolve(name + ".log");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found: build it first (./mvnw package)");
        }
    }

    /** Starts the process (again, after a stop or kill); returns at once. */
    public synchronized ServiceProcess start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-XX:+UseSerialGC",
                "-jar",
                jar.toString(),
                "--server.port=" + port));
        command.addAll(arguments);
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        return this;
    }

    /** True when {@code /actuator/health} answers UP (for KCL consumers: they hold leases). */
    public boolean isUp() {
        return get("/actuator/health")
                .map(body -> body.contains("\"status\":\"UP\""))
                .orElse(false);
    }

    /** GET on the service; empty when it does not answer 200. */
    public java.util.Optional<String> get(String path) {
        return get(path, false);
    }

    /**
     * GET on the service as its admin (the {@code PIPELINE_ADMIN_PASSWORD} it was started with), e.g. for the health
     * details, which only the admin sees; empty when it does not answer 200.
     */
    public java.util.Optional<String> getAsAdmin(String path) {
        return get(path, true);
    }

    private java.util.Optional<String> get(String path, boolean asAdmin) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5));
            if (asAdmin && environment.containsKey("PIPELINE_ADMIN_PASSWORD")) {
                request.header(
                        "Authorization",
                        "Basic "
                                + java.util.Base64.getEncoder()
                                        .encodeToString(("admin:" + environment.get("PIPELINE_ADMIN_PASSWORD"))
                                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? java.util.Optional.of(response.body()) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** Graceful stop (SIGTERM): the service hands its work over and checkpoints. */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** {@code kill -9}: no shutdown hook, no final checkpoint. */
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name + (process == null ? "" : " (pid " + process.pid() + ")");
    }
}
