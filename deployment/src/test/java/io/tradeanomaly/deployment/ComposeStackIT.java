package io.tradeanomaly.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docker compose up --build} for real: the images are built from the sources with podman, and
 * docker-compose.yml itself is started by docker-compose 1.29 through podman's Docker API, with one override
 * (src/test/resources/container-test/docker-compose.podman.yml) that only swaps what a registry would supply (base
 * images, Prometheus) for images made here. Every service becomes healthy by its own health check, the anomalies are
 * archived in S3 exactly once, Prometheus scrapes all three services, the live page answers on its published port, and
 * {@code docker-compose down} leaves nothing behind. The figures go to target/container-test/summary.txt.
 */
class ComposeStackIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BUCKET = "anomalous-trades-archive";
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Map<String, String> figures = new LinkedHashMap<>();

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void composeUpBuildsAndRunsThePipelineAndDownLeavesNothing() throws Exception {
        long testStart = System.nanoTime();
        try (PodmanHost host = PodmanHost.require()) {
            String debian = host.debianBase();
            // independent images FROM the base, made side by side (mostly apt downloads)
            var jreImage = CompletableFuture.supplyAsync(() -> host.imageFrom("base-jre.Dockerfile", debian));
            var buildImage =
                    CompletableFuture.supplyAsync(() -> host.imageFrom("base-build.Dockerfile", debian, "npm@10.9.9"));
            var prometheusImage = CompletableFuture.supplyAsync(() -> host.imageFrom("prometheus.Dockerfile", debian));
            String jre = jreImage.join();
            String build = buildImage.join();
            String prometheus = prometheusImage.join();
            host.baseImageSeconds()
                    .forEach((image, s) -> figures.put("base image " + image + " (s, 0 = kept)", s + ""));

            ComposeProject compose = new ComposeProject(host, host.startService(), build, jre, prometheus, figures);
            try {
                compose.down(5); // what an aborted earlier run left
                compose.buildImages();
                compose.startAndAwaitHealthy();
                prometheusScrapesAllThreeServices(compose);
                livePageAnswersOnItsPublishedPort(compose);
                anomaliesAreArchivedExactlyOnce(compose);
            } finally {
                long down = System.nanoTime();
                Tools.Result result = compose.down(45);
                figures.put("docker-compose down (s)", PodmanHost.seconds(down) + "");
                host.podman("image", "prune", "--force"); // the build stages' intermediate images
                assertThat(result.ok()).as(result.output()).isTrue();
            }
            compose.nothingIsLeft();
            host.close();
            assertThat(host.serviceAlive()).as("podman system service stopped").isFalse();
        } finally {
            figures.put("whole test (s)", PodmanHost.seconds(testStart) + "");
            report();
        }
    }

    private void prometheusScrapesAllThreeServices(ComposeProject compose) {
        String targets = "http://127.0.0.1:" + compose.port("PROMETHEUS_PORT") + "/api/v1/targets?state=active";
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(2))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    JsonNode active = JSON.readTree(get(targets).body()).at("/data/activeTargets");
                    List<String> up = new ArrayList<>();
                    active.forEach(target -> {
                        if ("up".equals(target.get("health").asString())) {
                            up.add(target.at("/labels/job").asString());
                        }
                    });
                    assertThat(active.size()).isEqualTo(3);
                    assertThat(up).hasSize(3);
                    figures.put("Prometheus targets up", up.size() + "/" + active.size() + " " + up);
                });
    }

    private void livePageAnswersOnItsPublishedPort(ComposeProject compose) throws Exception {
        HttpResponse<String> page = get("http://127.0.0.1:" + compose.port("DETECTOR_PORT") + "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Trade anomalies");
        figures.put("live page", "HTTP " + page.statusCode() + " on 127.0.0.1:" + compose.port("DETECTOR_PORT"));
    }

    private void anomaliesAreArchivedExactlyOnce(ComposeProject compose) {
        long start = System.nanoTime();
        try (S3Client s3 = S3Client.builder()
                        .endpointOverride(URI.create("http://127.0.0.1:" + compose.port("LOCAL_AWS_S3_PORT")))
                        .forcePathStyle(true)
                        .region(Region.US_EAST_1)
                        .credentialsProvider(credentials())
                        .build();
                KinesisClient kinesis = KinesisClient.builder()
                        .endpointOverride(URI.create("http://127.0.0.1:" + compose.port("LOCAL_AWS_KINESIS_PORT")))
                        .region(Region.US_EAST_1)
                        .credentialsProvider(credentials())
                        .build()) {
            await().atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofSeconds(5))
                    .ignoreExceptions()
                    .until(() -> !archived(s3).isEmpty());
            Set<Long> published = published(kinesis).keySet();
            assertThat(published).isNotEmpty();
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(5))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(archived(s3).keySet()).containsAll(published));
            Map<Long, Integer> archived = archived(s3);
            Map<Long, Integer> duplicated = new HashMap<>();
            archived.forEach((id, count) -> {
                if (count > 1) {
                    duplicated.put(id, count);
                }
            });
            assertThat(duplicated).as("anomalies archived more than once").isEmpty();
            assertThat(archived.keySet())
                    .as("archived but never published")
                    .isSubsetOf(published(kinesis).keySet());
            long objects = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
                    .map(S3Object::key)
                    .filter(ComposeStackIT::isArchiveObject)
                    .count();
            figures.put(
                    "anomalies archived (exactly once)",
                    archived.size() + " anomalies in " + objects + " objects, none twice, none unpublished; all "
                            + published.size() + " published when the first object appeared are archived");
            figures.put("archive check (s)", PodmanHost.seconds(start) + "");
        }
    }

    private static Map<Long, Integer> published(KinesisClient kinesis) {
        Map<Long, Integer> ids = new HashMap<>();
        for (Shard shard :
                kinesis.listShards(b -> b.streamName("anomalous-trades")).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName("anomalous-trades")
                            .shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(current));
                response.records()
                        .forEach(record -> ids.merge(
                                JSON.readTree(record.data().asUtf8String())
                                        .get("id")
                                        .longValue(),
                                1,
                                Integer::sum));
                if (response.records().isEmpty() && response.millisBehindLatest() == 0) {
                    break;
                }
                iterator = response.nextShardIterator();
            }
        }
        return ids;
    }

    private static Map<Long, Integer> archived(S3Client s3) {
        Map<Long, Integer> ids = new HashMap<>();
        s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
                .map(S3Object::key)
                .filter(ComposeStackIT::isArchiveObject)
                .forEach(key -> {
                    String body =
                            s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asString(StandardCharsets.UTF_8);
                    for (String line : body.split("\n")) {
                        JsonNode anomaly = JSON.readTree(line);
                        assertThat(anomaly.has("ANOMALY_SCORE")).as(line).isTrue();
                        ids.merge(anomaly.get("id").longValue(), 1, Integer::sum);
                    }
                });
        return ids;
    }

    private static boolean isArchiveObject(String key) {
        return PipelineChecks.ARCHIVE_KEY.matcher(key).matches();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void report() {
        StringBuilder text = new StringBuilder("CONTAINER TEST (docker-compose 1.29 on podman)\n");
        figures.forEach((name, value) ->
                text.append("  ").append(name).append(": ").append(value).append('\n'));
        System.out.print(text);
        try {
            Path dir = Files.createDirectories(Path.of("target", "container-test"));
            Files.writeString(dir.resolve("summary.txt"), text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
