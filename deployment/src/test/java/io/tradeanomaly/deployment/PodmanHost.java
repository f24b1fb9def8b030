package io.tradeanomaly.deployment;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.springframework.util.FileSystemUtils;

/**
 * A container engine made on this machine for {@link ComposeStackIT}, with no registry: Debian's podman (as root, runc,
 * ulimits within the hard limits, in {@code containers.conf}), its own image store under {@link #HOME}, base images
 * made with debootstrap and built FROM it, and podman's Docker-compatible API on a unix socket for docker-compose 1.29.
 * Base images are kept between runs (tagged with the hash of their recipe); everything else is removed by the test.
 */
final class PodmanHost implements AutoCloseable {

    /** Outside the work tree: an image store must not end up in the build context or in git. */
    static final Path HOME = Path.of("/var/tmp/trade-anomaly-pipeline-container-test");

    private static final Path RECIPES = Tools.ROOT.resolve("deployment/src/test/resources/container-test");
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

    private final Map<String, String> env = new LinkedHashMap<>();
    private FileChannel lockFile;
    private FileLock lock;
    private final Map<String, Long> baseImageSeconds = new java.util.concurrent.ConcurrentSkipListMap<>();
    private Process service;

    private PodmanHost() {}

    /**
     * A podman that can run containers here, or a skipped test saying why (a failed one with {@code CI=true} or
     * {@code REQUIRE_DEPLOY_TOOLS=true}).
     */
    static PodmanHost require() {
        List<String> missing = new ArrayList<>();
        for (String tool :
                List.of("/usr/bin/podman", "/usr/sbin/runc", "/usr/sbin/debootstrap", "/usr/bin/docker-compose")) {
            if (!Files.isExecutable(Path.of(tool))) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            unavailable("not installed: " + missing + " (.ci/run installs them)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            unavailable(
                    "podman runs the container test as root only (user is " + System.getProperty("user.name") + ")");
        }
        PodmanHost host = new PodmanHost();
        try {
            Files.createDirectories(HOME);
            // one container test at a time on this machine (the store, the socket and the compose project are shared)
            host.lockFile = FileChannel.open(HOME.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            host.lock = host.lockFile.lock();
            Files.writeString(HOME.resolve("containers.conf"), """
                    [engine]
                    # crun fails here: "cgroups in hybrid mode not supported"
                    runtime = "runc"
                    [containers]
                    # within the hard limits (ulimit -Hn); podman's defaults fail with "setrlimit ... not permitted"
                    default_ulimits = ["nofile=%1$d:%1$d", "nproc=32768:32768"]
                    """.formatted(Math.min(20000, hardNofile())));
            Files.writeString(
                    HOME.resolve("storage.conf"), """
                    [storage]
                    driver = "overlay"
                    graphroot = "%s"
                    runroot = "%s"
                    """.formatted(HOME.resolve("storage"), HOME.resolve("run")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        host.env.put("CONTAINERS_CONF", HOME.resolve("containers.conf").toString());
        host.env.put("CONTAINERS_STORAGE_CONF", HOME.resolve("storage.conf").toString());
        Tools.Result info = host.podman("info", "--format", "{{.Host.OCIRuntime.Name}}");
        if (!info.ok()) {
            unavailable("podman cannot run here: " + info.output());
        }
        return host;
    }

    private static void unavailable(String reason) {
        if ("true".equals(System.getenv("CI")) || "true".equals(System.getenv("REQUIRE_DEPLOY_TOOLS"))) {
            Assertions.fail(reason);
        }
        Assumptions.abort(reason);
    }

    private static int hardNofile() {
        Tools.Result limit = Tools.run(List.of("bash", "-c", "ulimit -Hn"), HOME, Map.of());
        String value = limit.output().trim();
        return value.matches("\\d+") ? Integer.parseInt(value) : 20000;
    }

    /** Environment naming this host's configuration, for podman and the podman service. */
    Map<String, String> env() {
        return Map.copyOf(env);
    }

    Tools.Result podman(String... args) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        return Tools.run(command, HOME, env);
    }

    Tools.Result podmanOrFail(String... args) {
        Tools.Result result = podman(args);
        if (!result.ok()) {
            throw new IllegalStateException("podman " + String.join(" ", args) + " failed:\n" + result.output());
        }
        return result;
    }

    /** Seconds each base image took to make in this run (0 when it was already there). */
    Map<String, Long> baseImageSeconds() {
        return Map.copyOf(baseImageSeconds);
    }

    /** Debian bookworm from debootstrap, carrying the host's CA certificates; returns its name. */
    String debianBase() {
        String name =
                "localhost/ct-debian:" + hash("debootstrap bookworm minbase ca-certificates" + hostCertificates());
        if (exists(name)) {
            baseImageSeconds.put("debian", 0L);
            return name;
        }
        long start = System.nanoTime();
        Path rootfs = HOME.resolve("rootfs");
        try {
            FileSystemUtils.deleteRecursively(rootfs);
            run(List.of(
                    "debootstrap",
                    "--variant=minbase",
                    "--include=ca-certificates",
                    "bookworm",
                    rootfs.toString(),
                    debianMirror()));
            // The base stands in for a registry image and must reach Maven Central, npm and Debian as this machine
            // does: it trusts what the host trusts (some networks inspect TLS with their own CA).
            Path extra = Files.createDirectories(rootfs.resolve("usr/local/share/ca-certificates/host"));
            String[] certificates = hostCertificates().split("(?<=-----END CERTIFICATE-----)\\s*");
            for (int i = 0; i < certificates.length; i++) {
                if (certificates[i].contains("BEGIN CERTIFICATE")) {
                    Files.writeString(extra.resolve("host-" + i + ".crt"), certificates[i].strip() + "\n");
                }
            }
            run(List.of("chroot", rootfs.toString(), "update-ca-certificates"));
            FileSystemUtils.deleteRecursively(rootfs.resolve("var/lib/apt/lists"));
            Files.createDirectories(rootfs.resolve("var/lib/apt/lists/partial"));
            run(List.of("bash", "-c", "tar -C " + rootfs + " -c . | podman import - " + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                FileSystemUtils.deleteRecursively(rootfs);
            } catch (IOException e) {
                // removed on the next run
            }
        }
        baseImageSeconds.put("debian", seconds(start));
        return name;
    }

    /**
     * An image built from {@code recipe} (a file of src/test/resources/container-test) FROM {@code base}, its context a
     * folder holding the recipe and the npm packages named (packed on the host with {@code npm pack}).
     */
    String imageFrom(String recipe, String base, String... npmPackages) {
        Path file = RECIPES.resolve(recipe);
        String tag = recipe.replace(".Dockerfile", "");
        String name = "localhost/ct-" + tag + ":" + hash(read(file) + base + String.join(",", npmPackages));
        if (exists(name)) {
            baseImageSeconds.put(recipe, 0L);
            return name;
        }
        long start = System.nanoTime();
        Path context = HOME.resolve("context-" + tag);
        try {
            FileSystemUtils.deleteRecursively(context);
            Files.createDirectories(context);
            Files.copy(file, context.resolve("Dockerfile"));
            for (String npmPackage : npmPackages) {
                run(List.of("npm", "pack", "--silent", "--pack-destination", context.toString(), npmPackage));
            }
            podmanOrFail("build", "--format", "docker", "--build-arg", "BASE=" + base, "-t", name, context.toString());
            FileSystemUtils.deleteRecursively(context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        baseImageSeconds.put(recipe, seconds(start));
        return name;
    }

    /** Starts podman's Docker-compatible API on {@code HOME/podman.sock}; returns the DOCKER_HOST value. */
    String startService() {
        Path socket = HOME.resolve("podman.sock");
        Path pidFile = HOME.resolve("podman-service.pid");
        try {
            stopStaleService(pidFile);
            Files.deleteIfExists(socket);
            ProcessBuilder builder = new ProcessBuilder("podman", "system", "service", "--time=0", "unix://" + socket)
                    .redirectErrorStream(true)
                    .redirectOutput(HOME.resolve("podman-service.log").toFile());
            builder.environment().putAll(env);
            service = builder.start();
            Files.writeString(pidFile, Long.toString(service.pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String dockerHost = "unix://" + socket;
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Tools.run(List.of("podman", "--url", dockerHost, "version"), HOME, env)
                        .ok());
        return dockerHost;
    }

    /** A service left by a test JVM that died (its pid file names it; stopped only if it is still that service). */
    private static void stopStaleService(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        ProcessHandle.of(pid)
                .filter(process ->
                        process.info().commandLine().orElse("").contains("system service --time=0 unix://" + HOME))
                .ifPresent(process -> {
                    process.destroy();
                    process.onExit().orTimeout(20, TimeUnit.SECONDS).join();
                });
        Files.delete(pidFile);
    }

    /** Stops the API service; containers it started must be gone already (docker-compose down). */
    @Override
    public void close() {
        if (service != null && service.isAlive()) {
            service.destroy();
            try {
                if (!service.waitFor(20, TimeUnit.SECONDS)) {
                    service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                service.destroyForcibly();
            }
        }
        try {
            Files.deleteIfExists(HOME.resolve("podman-service.pid"));
            if (lock != null) {
                lock.release();
                lockFile.close();
                lock = null;
            }
        } catch (IOException e) {
            // the next run checks the pid before using it; the lock goes with this JVM
        }
    }

    boolean serviceAlive() {
        return service != null && service.isAlive();
    }

    private boolean exists(String image) {
        return podman("image", "exists", image).ok();
    }

    private void run(List<String> command) {
        List<String> bounded = new ArrayList<>(List.of("timeout", Long.toString(BUILD_TIMEOUT.toSeconds())));
        bounded.addAll(command);
        Tools.Result result = Tools.run(bounded, HOME, env);
        if (!result.ok()) {
            throw new IllegalStateException(command + " failed:\n" + tail(result.output()));
        }
    }

    /** The first Debian mirror of this machine's apt sources (the one its apt reaches). */
    private static String debianMirror() {
        for (String file : List.of("/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list")) {
            Path path = Path.of(file);
            if (!Files.isReadable(path)) {
                continue;
            }
            for (String line : read(path).split("\n")) {
                line = line.strip();
                if (line.startsWith("URIs:") && !line.contains("security")) {
                    return line.substring("URIs:".length()).strip().split("\\s+")[0];
                }
                if (line.startsWith("deb ") && !line.contains("security")) {
                    return line.split("\\s+")[1];
                }
            }
        }
        return "http://deb.debian.org/debian";
    }

    private static String hostCertificates() {
        Path bundle = Path.of("/etc/ssl/certs/ca-certificates.crt");
        return Files.isReadable(bundle) ? read(bundle) : "";
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static long seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e9);
    }

    static String tail(String output) {
        String[] lines = output.split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 40), lines.length));
    }
}
