package io.tradeanomaly.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus (Debian's) scrapes the three services running on the local stack with the project's scrape
 * settings and alert rules: every target is up, the pipeline's counters grow, and every PromQL expression of the
 * dashboard and of the alert rules (the measured side of each alert's comparison) returns data.
 */
@ExtendWith(LocalAwsExtension.class)
class PrometheusIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void prometheusScrapesThePipelineAndEveryExpressionReturnsData(LocalAwsStack stack, LocalAwsNamespace names)
            throws Exception {
        Path prometheusBinary = Tools.prometheus();
        try (PipelineHarness pipeline =
                new PipelineHarness(stack, names, List.of("--producer.tick-interval-ms=500"), List.of(), List.of())) {
            pipeline.all().forEach(s -> s.start());
            int port = PipelineHarness.freePort();
            Path dir = Files.createDirectories(Path.of("target", "prometheus").toAbsolutePath());
            Files.writeString(
                    dir.resolve("prometheus.yml"),
                    Files.readString(Tools.ROOT.resolve("monitoring/prometheus/prometheus.yml"))
                            .replace(
                                    "/etc/prometheus/rules/*.yml",
                                    Tools.ROOT
                                                    .resolve("monitoring/prometheus/rules")
                                                    .toString() + "/*.yml")
                            .replace("trade-producer:8081", "127.0.0.1:" + pipeline.producer.port())
                            .replace("anomaly-detector:8082", "127.0.0.1:" + pipeline.detector.port())
                            .replace("s3-archiver:8083", "127.0.0.1:" + pipeline.archiver.port()));
            Process prometheus = new ProcessBuilder(
                            prometheusBinary.toString(),
                            "--config.file=" + dir.resolve("prometheus.yml"),
                            "--storage.tsdb.path=" + dir.resolve("data-" + System.nanoTime()),
                            "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
            try {
                String base = "http://127.0.0.1:" + port;
                // Prometheus answers 503 "Service Unavailable" until it has replayed its WAL and loaded its rules
                await().atMost(Duration.ofSeconds(60))
                        .ignoreExceptionsInstanceOf(IOException.class)
                        .until(() -> status(base + "/-/ready") == 200);
                await().atMost(Duration.ofSeconds(180))
                        .untilAsserted(
                                () -> assertThat(values(base, "up")).hasSize(3).allMatch(v -> v == 1));
                await().atMost(Duration.ofSeconds(240)).untilAsserted(() -> {
                    assertThat(values(base, "sum(trades_produced_total)"))
                            .singleElement()
                            .satisfies(v -> assertThat(v).isGreaterThan(1000));
                    assertThat(values(base, "sum(anomalies_archived_total)"))
                            .singleElement()
                            .satisfies(v -> assertThat(v).isPositive());
                });
                double produced = values(base, "sum(trades_produced_total)").get(0);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> values(base, "sum(trades_produced_total)").get(0) > produced);

                Map<String, String> expressions = expressions();
                assertThat(expressions).hasSizeGreaterThan(20);
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                    List<String> empty = new ArrayList<>();
                    for (Map.Entry<String, String> expression : expressions.entrySet()) {
                        if (values(base, expression.getValue()).isEmpty()) {
                            empty.add(expression.getKey() + ": " + expression.getValue());
                        }
                    }
                    assertThat(empty).as("expressions without data").isEmpty();
                });
                JsonNode rules = query(base + "/api/v1/rules");
                List<String> loaded = new ArrayList<>();
                for (JsonNode rule : rules.get("data").get("groups").get(0).get("rules")) {
                    assertThat(rule.get("health").stringValue())
                            .as(rule.toString())
                            .isEqualTo("ok");
                    loaded.add(rule.get("name").stringValue());
                }
                assertThat(loaded).as("every alert of the rules file loaded").containsExactlyElementsOf(alertNames());
            } finally {
                prometheus.destroy();
                prometheus.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    /** Every dashboard target, and the measured side of every alert rule (left of its comparison). */
    private static Map<String, String> expressions() throws Exception {
        Map<String, String> expressions = new LinkedHashMap<>();
        JsonNode dashboard = JSON.readTree(Tools.ROOT
                .resolve("monitoring/grafana/dashboards/trade-anomaly-pipeline.json")
                .toFile());
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                expressions.put(
                        "panel '" + panel.get("title").stringValue() + "' "
                                + target.get("refId").stringValue(),
                        target.get("expr").stringValue());
            }
        }
        Map<String, Object> rules = new org.yaml.snakeyaml.Yaml()
                .load(Files.readString(Tools.ROOT.resolve("monitoring/prometheus/rules/pipeline-alerts.yml")));
        for (Object group : (List<?>) rules.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                Map<?, ?> alert = (Map<?, ?>) rule;
                expressions.put(
                        "alert " + alert.get("alert"),
                        measured(alert.get("expr").toString().trim()));
            }
        }
        return expressions;
    }

    private static List<String> alertNames() throws Exception {
        Map<String, Object> rules = new org.yaml.snakeyaml.Yaml()
                .load(Files.readString(Tools.ROOT.resolve("monitoring/prometheus/rules/pipeline-alerts.yml")));
        List<String> names = new ArrayList<>();
        for (Object group : (List<?>) rules.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                names.add(((Map<?, ?>) rule).get("alert").toString());
            }
        }
        return names;
    }

    private static String measured(String expr) {
        for (String comparison : new String[] {" == ", " > ", " < "}) {
            int at = expr.indexOf(comparison);
            if (at > 0) {
                return expr.substring(0, at).trim();
            }
        }
        return expr;
    }

    private List<Double> values(String base, String promql) throws Exception {
        JsonNode response = query(base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(response.get("status").stringValue()).as(promql).isEqualTo("success");
        List<Double> values = new ArrayList<>();
        for (JsonNode sample : response.get("data").get("result")) {
            String value = sample.get("value").get(1).stringValue();
            if (!value.equals("NaN")) {
                values.add(Double.parseDouble(value));
            }
        }
        return values;
    }

    /** The answer's JSON; an answer other than 200 fails as an assertion, so that Awaitility's waits retry it. */
    private JsonNode query(String url) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("%s answered %s", url, response.body())
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private int status(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
