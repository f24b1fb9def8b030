package io.tradeanomaly.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A stream that is not trades, end to end with the real jars on the local stack: sensor readings (nested key, a
 * feature name with spaces, an event time) replayed from a file with {@code replay}, scored by the detector configured
 * for them, archived by the archiver, and queried with {@code archive-query} by the same key and features. Every spike
 * is archived exactly once with the reading's fields unchanged; the readings that cannot be scored are dead-lettered
 * with their reason.
 */
@ExtendWith(LocalAwsExtension.class)
class AnyStreamIT {

    private static final List<String> DETECTOR = List.of(
            "--detector.input.key=device.id",
            "--detector.input.features=temperature,Inlet Pressure kPa",
            "--detector.input.time=ts",
            "--detector.output-after=100");

    @Test
    void sensorReadingsAreReplayedScoredArchivedAndQueriedByTheirOwnKeyAndFeatures(
            LocalAwsStack stack, LocalAwsNamespace names, @TempDir Path dir) throws Exception {
        List<String> readings = new ArrayList<>();
        Map<String, String> spikes = new HashMap<>(); // reading id -> its line
        SplittableRandom random = new SplittableRandom(17);
        long start = Instant.now().getEpochSecond() - 3600;
        for (int i = 0; i < 360; i++) {
            for (int d = 1; d <= 3; d++) {
                boolean spike = i >= 200 && i % 40 == 7 + d;
                String id = "r-" + d + "-" + i;
                String line = String.format(
                        Locale.ROOT,
                        "{\"id\":\"%s\",\"device\":{\"id\":\"pump-%d\",\"site\":\"north\"},\"ts\":%d,"
                                + "\"temperature\":%.3f,\"Inlet Pressure kPa\":%.3f,\"tags\":[\"a\",%d]}",
                        id,
                        d,
                        (start + i * 10L) * 1000,
                        60 + 3 * Math.sin(i / 30.0) + random.nextGaussian() * 0.2,
                        101.3 + random.nextGaussian() * 0.3 + (spike ? 60 : 0),
                        i);
                readings.add(line);
                if (spike) {
                    spikes.put(id, line);
                }
            }
        }
        readings.add("{\"id\":\"bad-1\",\"device\":{\"id\":\"pump-1\"},\"ts\":1,\"temperature\":\"hot\"}");
        readings.add("{\"id\":\"bad-2\",\"ts\":1,\"temperature\":1,\"Inlet Pressure kPa\":1}");
        Path file = Files.write(dir.resolve("readings.jsonl"), readings);

        try (PipelineHarness pipeline = new PipelineHarness(stack, names, List.of(), DETECTOR, List.of())) {
            pipeline.detector.start();
            pipeline.archiver.start();
            await().atMost(Duration.ofSeconds(180)).until(() -> pipeline.detector.isUp() && pipeline.archiver.isUp());

            List<String> replay = new ArrayList<>(List.of(
                    java(),
                    "-jar",
                    jar("trade-producer").toString(),
                    "replay",
                    "--input",
                    file.toString(),
                    "--key",
                    "device.id",
                    "--rate",
                    "0",
                    "--producer.stream=" + names.tradesStream()));
            stack.springProperties().forEach((k, v) -> replay.add("--" + k + "=" + v));
            Tools.Result replayed = Tools.run(replay, Tools.ROOT, Map.of());
            assertThat(replayed.exitCode()).as(replayed.output()).isZero();
            assertThat(replayed.output()).contains("1,082 records put");

            await().atMost(Duration.ofSeconds(180))
                    .untilAsserted(
                            () -> assertThat(archived(stack, names).keySet()).containsAll(spikes.keySet()));
            Map<String, List<JsonNode>> archive = archivedLines(stack, names);
            for (Map.Entry<String, String> spike : spikes.entrySet()) {
                assertThat(archive.get(spike.getKey())).as(spike.getKey()).hasSize(1);
                JsonNode anomaly = archive.get(spike.getKey()).get(0);
                JsonNode reading = JsonRecords.mapper().readTree(spike.getValue());
                reading.properties()
                        .forEach(field -> assertThat(anomaly.get(field.getKey()))
                                .as(field.getKey())
                                .isEqualTo(field.getValue()));
                assertThat(anomaly.get("ANOMALY_EXPLANATION").propertyNames())
                        .containsExactly("temperature", "Inlet Pressure kPa");
                assertThat(anomaly.get("ANOMALY_EXPLANATION")
                                .get("Inlet Pressure kPa")
                                .get("DIRECTION")
                                .stringValue())
                        .isEqualTo("HIGH");
            }
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(deadLetters(stack, names))
                            .anySatisfy(l -> assertThat(l).contains("\"reason\":\"invalid-field\"", "bad-1"))
                            .anySatisfy(l -> assertThat(l).contains("\"reason\":\"missing-field\"", "device.id")));

            Path copy = dir.resolve("archive");
            for (String key : stack.objectKeys(names.bucket(), "")) {
                if (PipelineChecks.isArchived(key)) {
                    Files.createDirectories(copy.resolve(key).getParent());
                    Files.writeString(copy.resolve(key), stack.objectText(names.bucket(), key));
                }
            }
            Tools.Result query = Tools.run(
                    List.of(
                            java(),
                            "-jar",
                            jar("archive-query").toString(),
                            "--archive",
                            copy.toString(),
                            DETECTOR.get(0),
                            DETECTOR.get(1),
                            "--example",
                            "per-key",
                            "--format",
                            "csv"),
                    Tools.ROOT,
                    Map.of());
            assertThat(query.exitCode()).as(query.output()).isZero();
            List<String> rows = query.output().lines().toList();
            assertThat(rows.get(0))
                    .startsWith("device.id,anomalies,worst,latest,temperature,temperature expected,Inlet Pressure kPa");
            assertThat(rows.subList(1, rows.size()))
                    .extracting(r -> r.substring(0, r.indexOf(',')))
                    .containsExactlyInAnyOrder("pump-1", "pump-2", "pump-3");
        }
    }

    /** Archived anomalies by reading id (how many times each is in the archive). */
    private static Map<String, Integer> archived(LocalAwsStack stack, LocalAwsNamespace names) {
        Map<String, Integer> counts = new HashMap<>();
        archivedLines(stack, names).forEach((id, lines) -> counts.put(id, lines.size()));
        return counts;
    }

    private static Map<String, List<JsonNode>> archivedLines(LocalAwsStack stack, LocalAwsNamespace names) {
        Map<String, List<JsonNode>> lines = new HashMap<>();
        Set<String> keys = new HashSet<>(stack.objectKeys(names.bucket(), ""));
        for (String key : keys) {
            if (!PipelineChecks.isArchived(key)) {
                continue;
            }
            for (String line : stack.objectText(names.bucket(), key).split("\n")) {
                if (!line.isBlank()) {
                    JsonNode anomaly = JsonRecords.mapper().readTree(line);
                    lines.computeIfAbsent(anomaly.get("id").stringValue(), k -> new ArrayList<>())
                            .add(anomaly);
                }
            }
        }
        return lines;
    }

    private static List<String> deadLetters(LocalAwsStack stack, LocalAwsNamespace names) {
        List<String> letters = new ArrayList<>();
        for (String key : stack.objectKeys(names.bucket(), "errors/anomaly-detector/")) {
            letters.addAll(List.of(stack.objectText(names.bucket(), key).split("\n")));
        }
        return letters;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path jar(String module) {
        Path jar = Tools.ROOT.resolve(module).resolve("target").resolve(module + ".jar");
        assertThat(jar).as("build %s first (./mvnw package)", module).isRegularFile();
        return jar;
    }
}
