package io.tradeanomaly.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Helm chart lints strictly, renders for its defaults and with every option, into valid Kubernetes objects. */
class HelmChartTest {

    private static final String CHART = "k8s/trade-anomaly-pipeline";

    @Test
    void lintsStrictlyWithDefaultsAndAllOptions() {
        Tools.Result defaults = Tools.run(Tools.helm().toString(), "lint", "--strict", CHART);
        Tools.Result all =
                Tools.run(Tools.helm().toString(), "lint", "--strict", CHART, "-f", "k8s/ci/all-options-values.yaml");
        assertThat(defaults.ok()).as(defaults.output()).isTrue();
        assertThat(all.ok()).as(all.output()).isTrue();
    }

    @Test
    void defaultsRenderTheThreeServicesHardened() {
        List<HasMetadata> objects = render();
        List<Deployment> deployments = of(objects, Deployment.class);
        assertThat(deployments)
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("t-trade-producer", "t-anomaly-detector", "t-s3-archiver");
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
        assertThat(of(objects, GenericKubernetesResource.class)).noneMatch(r -> "ServiceMonitor".equals(r.getKind()));
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
