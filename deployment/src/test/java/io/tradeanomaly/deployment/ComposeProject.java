package io.tradeanomaly.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * docker-compose.yml as {@link ComposeStackIT} runs it: docker-compose 1.29 against podman's Docker API, with the
 * test's override, free host ports, and the health checks run by the test (podman times them with systemd, absent
 * here). Each step records its figures.
 */
final class ComposeProject {

    static final String PROJECT = "tapct";
    private static final Path OVERRIDE =
            Tools.ROOT.resolve("deployment/src/test/resources/container-test/docker-compose.podman.yml");
    private static final List<String> BUILT = List.of("local-aws", "trade-producer", "anomaly-detector", "s3-archiver");
    /** Grafana is left out: no image of it can be had here. */
    private static final List<String> STARTED =
            List.of("local-aws", "trade-producer", "anomaly-detector", "s3-archiver", "prometheus");

    private final PodmanHost host;
    private final Map<String, String> figures;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, String> env;

    /** A project whose override replaces the registry's images by {@code build}, {@code jre} and {@code prometheus}. */
    ComposeProject(
            PodmanHost host,
            String dockerHost,
            String build,
            String jre,
            String prometheus,
            Map<String, String> figures) {
        this.host = host;
        this.figures = figures;
        this.env = composeEnv(host, dockerHost, build, jre, prometheus);
    }

    /** The host port published for a port variable of docker-compose.yml ({@code DETECTOR_PORT}, ...). */
    int port(String variable) {
        return ports.get(variable);
    }

    /** {@code down} with volumes and built images. */
    Tools.Result down(int timeoutSeconds) {
        return compose(env, "down", "--volumes", "--rmi", "local", "--timeout", Integer.toString(timeoutSeconds));
    }

    private Map<String, String> composeEnv(
            PodmanHost host, String dockerHost, String build, String jre, String prometheus) {
        for (String port : List.of(
                "PRODUCER_PORT",
                "DETECTOR_PORT",
                "ARCHIVER_PORT",
                "LOCAL_AWS_KINESIS_PORT",
                "LOCAL_AWS_DYNAMODB_PORT",
                "LOCAL_AWS_S3_PORT",
                "PROMETHEUS_PORT",
                "GRAFANA_PORT")) {
            ports.put(port, PipelineHarness.freePort());
        }
        Map<String, String> env = new HashMap<>(host.env());
        ports.forEach((name, port) -> env.put(name, port.toString()));
        env.put("DOCKER_HOST", dockerHost);
        env.put("COMPOSE_DOCKER_CLI_BUILD", "0");
        env.put("DOCKER_BUILDKIT", "0");
        env.put("COMPOSE_HTTP_TIMEOUT", "600");
        env.put("PIPELINE_ADMIN_PASSWORD", UUID.randomUUID().toString());
        env.put("CT_BUILD_IMAGE", build);
        env.put("CT_JRE_IMAGE", jre);
        env.put("CT_PROMETHEUS_IMAGE", prometheus);
        return env;
    }

    /** Builds our four images, each timed, and checks each keeps its HEALTHCHECK and runs as non-root. */
    void buildImages() {
        for (String service : BUILT) {
            long start = System.nanoTime();
            Tools.Result result = compose(env, "build", service);
            assertThat(result.ok())
                    .as("build %s:\n%s", service, PodmanHost.tail(result.output()))
                    .isTrue();
            figures.put("build " + service + " (s)", PodmanHost.seconds(start) + "");
            String image = builtImage(host, service);
            String healthcheck = host.podmanOrFail("image", "inspect", "--format", "{{.Config.Healthcheck}}", image)
                    .output();
            assertThat(healthcheck)
                    .as("HEALTHCHECK of %s (kept by the docker image format)", image)
                    .contains("CMD");
            String user = host.podmanOrFail("image", "inspect", "--format", "{{.Config.User}}", image)
                    .output()
                    .strip();
            assertThat(user).as("%s runs as non-root", image).startsWith("10001");
        }
    }

    /** The image compose built for {@code service} ({@code <project>_<service>}, under podman's default registry). */
    private static String builtImage(PodmanHost host, String service) {
        String name = PROJECT + "_" + service;
        return host.podmanOrFail("images", "--format", "{{.Repository}}")
                .output()
                .lines()
                .filter(repository -> repository.equals(name) || repository.endsWith("/" + name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("compose built no image " + name));
    }

    /** Runs {@code up -d} and, since podman times health checks with systemd (absent here), runs them itself. */
    void startAndAwaitHealthy() throws IOException {
        long start = System.nanoTime();
        Path upLog =
                Files.createDirectories(Path.of("target", "container-test")).resolve("compose-up.log");
        List<String> command = new ArrayList<>(composeCommand());
        command.addAll(List.of("up", "-d", "--no-build"));
        command.addAll(STARTED);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(Tools.ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(upLog.toFile());
        builder.environment().putAll(env);
        Process up = builder.start();
        Map<String, Long> healthyAfter = new LinkedHashMap<>();
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(3))
                .until(() -> {
                    if (!up.isAlive() && up.exitValue() != 0) {
                        throw new AssertionError("docker-compose up failed:\n" + Files.readString(upLog));
                    }
                    for (String service : STARTED) {
                        String container = PROJECT + "_" + service + "_1";
                        if (!healthyAfter.containsKey(service)
                                && host.podman("healthcheck", "run", container).ok()) {
                            healthyAfter.put(service, PodmanHost.seconds(start));
                        }
                    }
                    return healthyAfter.size() == STARTED.size() && !up.isAlive();
                });
        healthyAfter.forEach((service, s) -> figures.put("healthy after (s): " + service, s + ""));
        figures.put("all healthy after up (s)", PodmanHost.seconds(start) + "");
        for (String service : STARTED) {
            String status = host.podmanOrFail(
                            "inspect", "--format", "{{.State.Health.Status}}", PROJECT + "_" + service + "_1")
                    .output()
                    .strip();
            assertThat(status)
                    .as("health of %s as the engine reports it", service)
                    .isEqualTo("healthy");
        }
    }

    /** No container, network, volume or image of the project after {@code down}. */
    void nothingIsLeft() {
        assertThat(host.podmanOrFail("ps", "--all", "--quiet").output().strip())
                .as("containers left")
                .isEmpty();
        assertThat(host.podman("network", "exists", PROJECT + "_default").ok())
                .as("network left")
                .isFalse();
        assertThat(host.podmanOrFail("volume", "ls", "--quiet").output().strip())
                .as("volumes left")
                .isEmpty();
        assertThat(host.podmanOrFail("images", "--format", "{{.Repository}}")
                        .output()
                        .lines())
                .as("images built by compose left")
                .noneMatch(repository -> repository.contains(PROJECT + "_"));
        figures.put("left after down", "no container, network, volume or built image");
    }

    private static List<String> composeCommand() {
        return List.of(
                Tools.dockerCompose().toString(),
                "--project-name",
                PROJECT,
                "-f",
                Tools.ROOT.resolve("docker-compose.yml").toString(),
                "-f",
                OVERRIDE.toString());
    }

    private static Tools.Result compose(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(composeCommand());
        command.addAll(List.of(args));
        return Tools.run(command, Tools.ROOT, env);
    }
}
