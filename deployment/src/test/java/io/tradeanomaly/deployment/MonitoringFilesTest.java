package io.tradeanomaly.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Prometheus config, alert rules and their unit tests pass promtool; the dashboard is well formed. */
class MonitoringFilesTest {

    @Test
    void promtoolAcceptsTheConfigAndTheRules() {
        Tools.Result config =
                Tools.run(Tools.promtool().toString(), "check", "config", "monitoring/prometheus/prometheus.yml");
        Tools.Result rules = Tools.run(
                Tools.promtool().toString(), "check", "rules", "monitoring/prometheus/rules/pipeline-alerts.yml");
        assertThat(config.ok()).as(config.output()).isTrue();
        assertThat(rules.ok()).as(rules.output()).isTrue();
        assertThat(rules.output()).contains("10 rules found");
    }

    @Test
    void theLocalRunsConfigScrapesTheGivenPortsOnLoopbackWithTheseRules(@TempDir Path dir) throws Exception {
        Tools.Result generated = Tools.run("monitoring/prometheus/local-config.sh", "18081", "18082", "18083");
        assertThat(generated.ok()).as(generated.output()).isTrue();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, generated.output());
        assertThat(generated.output())
                .contains("targets: [\"127.0.0.1:18081\"]")
                .contains("targets: [\"127.0.0.1:18082\"]")
                .contains("targets: [\"127.0.0.1:18083\"]")
                .contains(Tools.ROOT.resolve("monitoring/prometheus/rules") + "/*.yml")
                .doesNotContain("/etc/prometheus");
        Tools.Result check = Tools.run(Tools.promtool().toString(), "check", "config", config.toString());
        assertThat(check.ok()).as(check.output()).isTrue();
        assertThat(check.output()).contains("10 rules found");
        assertThat(Tools.run("monitoring/prometheus/local-config.sh", "8081").ok())
                .isFalse();
    }

    @Test
    void theAlertRulesPassTheirUnitTests() {
        Tools.Result tests = Tools.run(
                List.of(Tools.promtool().toString(), "test", "rules", "tests/pipeline-alerts-test.yml"),
                Tools.ROOT.resolve("monitoring/prometheus"),
                Map.of());
        assertThat(tests.ok()).as(tests.output()).isTrue();
        assertThat(tests.output()).contains("SUCCESS");
    }

    @Test
    void aBrokenRuleFileFailsTheCheck(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("broken.yml");
        Files.writeString(
                rules,
                Files.readString(Tools.ROOT.resolve("monitoring/prometheus/rules/pipeline-alerts.yml"))
                        .replace("expr: up{", "expr: up{{"));
        Tools.Result check = Tools.run(Tools.promtool().toString(), "check", "rules", rules.toString());
        assertThat(check.ok()).as(check.output()).isFalse();
    }

    @Test
    void theDashboardIsAProvisionableGrafanaDashboard() throws Exception {
        JsonNode dashboard = JsonMapper.builder()
                .build()
                .readTree(Tools.ROOT
                        .resolve("monitoring/grafana/dashboards/trade-anomaly-pipeline.json")
                        .toFile());
        assertThat(dashboard.get("uid").stringValue()).isEqualTo("trade-anomaly-pipeline");
        assertThat(dashboard.get("panels").size()).isGreaterThanOrEqualTo(10);
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.get("title").stringValue()).isNotBlank();
            assertThat(panel.get("gridPos").has("w")).isTrue();
            assertThat(panel.get("datasource").get("uid").stringValue()).isEqualTo("prometheus");
            assertThat(panel.get("targets").size()).isPositive();
            panel.get("targets")
                    .forEach(t -> assertThat(t.get("expr").stringValue()).isNotBlank());
        }
        String provisioning =
                Files.readString(Tools.ROOT.resolve("monitoring/grafana/provisioning/datasources/prometheus.yml"));
        assertThat(provisioning).contains("uid: prometheus");
    }

    @Test
    void iamPoliciesAreLeastPrivilegeJson() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        for (String service : List.of("trade-producer", "anomaly-detector", "s3-archiver")) {
            JsonNode policy = json.readTree(
                    Tools.ROOT.resolve("k8s/iam/" + service + "-policy.json").toFile());
            assertThat(policy.get("Version").stringValue()).isEqualTo("2012-10-17");
            for (JsonNode statement : policy.get("Statement")) {
                statement.get("Action").forEach(a -> assertThat(a.stringValue()).doesNotContain("*"));
                String resources = statement.get("Resource").toString();
                assertThat(resources).doesNotContain("\"*\"").contains("arn:aws:");
            }
        }
    }
}
