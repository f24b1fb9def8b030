package io.tradeanomaly.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart lints strictly, renders (through its values schema) for its defaults, with every option and with the
 * values the CDK app outputs, into valid Kubernetes objects: the load generator off by default, NetworkPolicies,
 * {@code helm test} pods, the alert rules and dashboard of monitoring/ as they are.
 */
class HelmChartTest {

    private static final String CHART = "k8s/trade-anomaly-pipeline";

    @Test
    void lintsStrictlyWithDefaultsAllOptionsTheCdkValuesAndTheDemo() {
        for (List<String> values : List.of(
                List.<String>of(),
                List.of("-f", "k8s/ci/all-options-values.yaml"),
                List.of("-f", "k8s/ci/cdk-values.json"),
                List.of("-f", "k8s/ci/cdk-values.json", "-f", "k8s/demo-values.yaml"))) {
            List<String> command = new ArrayList<>(List.of(Tools.helm().toString(), "lint", "--strict", CHART));
            command.addAll(values);
            Tools.Result lint = Tools.run(command, Tools.ROOT, java.util.Map.of());
            assertThat(lint.ok()).as("%s: %s", values, lint.output()).isTrue();
        }
    }

    @Test
    void defaultsRenderTheDetectorAndTheArchiverHardenedAndNoLoadGenerator() {
        List<HasMetadata> objects = render();
        List<Deployment> deployments = of(objects, Deployment.class);
        assertThat(deployments)
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("t-anomaly-detector", "t-s3-archiver");
        assertThat(render("-f", "k8s/demo-values.yaml"))
                .filteredOn(Deployment.class::isInstance)
                .extracting(d -> d.getMetadata().getName())
                .contains("t-trade-producer");
        for (Deployment deployment : deployments) {
            var pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            Container container = pod.getContainers().get(0);
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
                    .isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation())
                    .isFalse();
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
            assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(container.getEnv())
                    .anySatisfy(e -> assertThat(e.getName()).isEqualTo("PIPELINE_ADMIN_PASSWORD"));
        }
        assertThat(of(objects, PodDisruptionBudget.class)).hasSize(1);
        assertThat(of(objects, HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(of(objects, GenericKubernetesResource.class)).isEmpty(); // no ServiceMonitor, no PrometheusRule
        assertThat(of(objects, ConfigMap.class))
                .extracting(c -> c.getMetadata().getName())
                .containsExactly("t-settings");
    }

    @Test
    void eachServiceAdmitsTrafficOnlyToItsPortFromTheNamespaceAndMonitoring() {
        List<NetworkPolicy> policies = of(render(), NetworkPolicy.class);
        assertThat(policies)
                .extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("t-anomaly-detector", "t-s3-archiver");
        for (NetworkPolicy policy : policies) {
            assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
            assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                    .containsEntry(
                            "app.kubernetes.io/name",
                            policy.getMetadata().getName().substring(2));
            assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
                assertThat(rule.getPorts())
                        .singleElement()
                        .satisfies(
                                port -> assertThat(port.getPort().getStrVal()).isEqualTo("http"));
                assertThat(rule.getFrom()).hasSize(2);
                assertThat(rule.getFrom().get(0).getPodSelector().getMatchLabels())
                        .as("any pod of this namespace")
                        .isNullOrEmpty();
                assertThat(rule.getFrom().get(0).getNamespaceSelector()).isNull();
                assertThat(rule.getFrom().get(1).getNamespaceSelector().getMatchLabels())
                        .containsEntry("kubernetes.io/metadata.name", "monitoring");
            });
        }
    }

    @Test
    void helmTestChecksTheHealthAndTheMetricsOfEachService() {
        List<Pod> tests = of(render("-f", "k8s/demo-values.yaml"), Pod.class);
        assertThat(tests).hasSize(3);
        for (Pod test : tests) {
            assertThat(test.getMetadata().getAnnotations()).containsEntry("helm.sh/hook", "test");
            String name = test.getMetadata().getName().substring("t-test-".length());
            String script =
                    String.join(" ", test.getSpec().getContainers().get(0).getArgs());
            assertThat(script)
                    .contains("http://t-" + name + ":")
                    .contains("/actuator/health/readiness")
                    .contains("/actuator/prometheus")
                    .contains("application=\"" + name + "\"");
            assertThat(test.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        }
    }

    @Test
    void theAlertRulesAndTheDashboardAreThoseOfMonitoring() throws Exception {
        Path chart = Tools.ROOT.resolve(CHART);
        String rules = "monitoring/prometheus/rules/pipeline-alerts.yml";
        String dashboard = "monitoring/grafana/dashboards/trade-anomaly-pipeline.json";
        assertThat(chart.resolve("files/pipeline-alerts.yml"))
                .as("the chart's copy of %s: cp %s %s/files/", rules, rules, CHART)
                .hasSameBinaryContentAs(Tools.ROOT.resolve(rules));
        assertThat(chart.resolve("files/trade-anomaly-pipeline.json"))
                .as("the chart's copy of %s: cp %s %s/files/", dashboard, dashboard, CHART)
                .hasSameBinaryContentAs(Tools.ROOT.resolve(dashboard));

        List<HasMetadata> objects = render("-f", "k8s/ci/all-options-values.yaml");
        GenericKubernetesResource rule = of(objects, GenericKubernetesResource.class).stream()
                .filter(r -> "PrometheusRule".equals(r.getKind()))
                .findFirst()
                .orElseThrow();
        assertThat(rule.getAdditionalProperties().get("spec"))
                .isEqualTo(Serialization.unmarshal(Files.readString(Tools.ROOT.resolve(rules)), Map.class));
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prometheus");
        ConfigMap board = of(objects, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals("t-dashboard"))
                .findFirst()
                .orElseThrow();
        assertThat(board.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(board.getData().get("trade-anomaly-pipeline.json"))
                .isEqualTo(Files.readString(Tools.ROOT.resolve(dashboard)).stripTrailing());
    }

    @Test
    void theSchemaRefusesMisspeltAndMisplacedValues() {
        for (String wrong : List.of(
                "detector.replica=3",
                "names.archivePrefix=anomalies",
                "archiver.settings.ARCHIVER_PREFIX=anomalies/",
                "aws.region=Ireland",
                "aws.s3SseKmsKeyId=my key",
                "producer.enabled=yes")) {
            Tools.Result result = Tools.run(Tools.helm().toString(), "template", "t", CHART, "--set", wrong);
            assertThat(result.ok()).as(wrong).isFalse();
            assertThat(result.output()).as(wrong).contains("schema");
        }
    }

    @Test
    void theCdkValuesGiveTheArchiverThePrefixItsRoleAllowsAndEachServiceItsRole() throws Exception {
        List<HasMetadata> objects = render("-f", "k8s/ci/cdk-values.json");
        Map<?, ?> values =
                Serialization.unmarshal(Files.readString(Tools.ROOT.resolve("k8s/ci/cdk-values.json")), Map.class);
        Map<?, ?> names = (Map<?, ?>) values.get("names");
        ConfigMap settings = of(objects, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals("t-settings"))
                .findFirst()
                .orElseThrow();
        assertThat(settings.getData())
                .containsEntry("ARCHIVER_PREFIX", (String) names.get("archivePrefix"))
                .containsEntry("ARCHIVER_BUCKET", (String) names.get("bucket"))
                .containsEntry("ARCHIVER_APPLICATION_NAME", (String) names.get("archiverApplication"))
                .containsEntry("DETECTOR_APPLICATION_NAME", (String) names.get("detectorApplication"))
                .containsEntry("DETECTOR_SETTINGS_BUCKET", (String) names.get("bucket"))
                .containsEntry("PIPELINE_AWS_REGION", "eu-west-1")
                .containsEntry("PIPELINE_AWS_S3_SSE_KMS_KEY_ID", (String)
                        ((Map<?, ?>) values.get("aws")).get("s3SseKmsKeyId"));
        assertThat((String) ((Map<?, ?>) values.get("aws")).get("s3SseKmsKeyId"))
                .startsWith("arn:aws:kms:");
        assertThat(of(render(), ConfigMap.class))
                .filteredOn(c -> c.getMetadata().getName().equals("t-settings"))
                .singleElement()
                .satisfies(c -> assertThat(c.getData())
                        .as("no key by default: the bucket's default encryption")
                        .doesNotContainKey("PIPELINE_AWS_S3_SSE_KMS_KEY_ID"));
        assertThat((String) names.get("archivePrefix")).isEqualTo("anomalies/");
        for (Deployment deployment : of(objects, Deployment.class)) {
            assertThat(deployment
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getEnv())
                    .as("no container setting overrides the prefix")
                    .noneMatch(e -> e.getName().equals("ARCHIVER_PREFIX"));
        }
        assertThat(of(objects, ServiceAccount.class))
                .extracting(sa -> sa.getMetadata().getName()
                        + " "
                        + sa.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn"))
                .containsExactlyInAnyOrder(
                        "anomaly-detector arn:aws:iam::123456789012:role/AnomalyDetectorRole1DFEBECC",
                        "s3-archiver arn:aws:iam::123456789012:role/S3ArchiverRoleFDA706E5");
    }

    @Test
    void allOptionsRenderIrsaAutoscalingAndServiceMonitors() {
        List<HasMetadata> objects = render("-f", "k8s/ci/all-options-values.yaml");
        assertThat(of(objects, ServiceAccount.class))
                .extracting(sa -> sa.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn"))
                .containsExactlyInAnyOrder(
                        "arn:aws:iam::123456789012:role/trade-producer",
                        "arn:aws:iam::123456789012:role/anomaly-detector");
        assertThat(of(objects, HorizontalPodAutoscaler.class)).hasSize(1);
        assertThat(of(objects, GenericKubernetesResource.class))
                .filteredOn(r -> "ServiceMonitor".equals(r.getKind()))
                .hasSize(3);
        Deployment archiver = of(objects, Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().endsWith("s3-archiver"))
                .findFirst()
                .orElseThrow();
        assertThat(archiver.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("existing-archiver-sa");
        assertThat(archiver.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv())
                .filteredOn(e -> e.getName().equals("PIPELINE_ADMIN_PASSWORD"))
                .singleElement()
                .satisfies(e ->
                        assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pipeline-admin"));
    }

    @Test
    void aBrokenTemplateFailsTheLint(@TempDir Path dir) throws Exception {
        Path chart = dir.resolve("chart");
        Tools.run("cp", "-r", CHART, chart.toString());
        Path deployments = chart.resolve("templates/deployments.yaml");
        Files.writeString(deployments, Files.readString(deployments).replace("{{- end }}\n{{- end }}", "{{- end }}"));

        Tools.Result lint = Tools.run(Tools.helm().toString(), "lint", "--strict", chart.toString());

        assertThat(lint.ok()).as(lint.output()).isFalse();
    }

    private static List<HasMetadata> render(String... extra) {
        List<String> command = new ArrayList<>(List.of(Tools.helm().toString(), "template", "t", CHART));
        command.addAll(List.of(extra));
        Tools.Result result = Tools.run(command, Tools.ROOT, java.util.Map.of());
        assertThat(result.ok()).as(result.output()).isTrue();
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : result.output().split("(?m)^---\\s*$")) {
            if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
                KubernetesResource parsed = Serialization.unmarshal(document);
                objects.add((HasMetadata) parsed);
            }
        }
        assertThat(objects).isNotEmpty();
        return objects;
    }

    private static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
