package io.tradeanomaly.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * k8s/ci/cdk-values.json is the stack's HelmValues output for the example account, and the roles of that stack allow
 * exactly the archive prefix those values give the chart (deployment's {@code HelmChartTest} installs the chart with
 * this file and checks that the archiver is configured with that prefix).
 */
class HelmValuesFileTest {

    private static final Path FILE = Path.of("..", "k8s", "ci", "cdk-values.json");
    private static Map<String, Object> template;
    private static String rendered;

    @BeforeAll
    static void synthesizeOnce() {
        template = HelmValuesFile.template();
        rendered = HelmValuesFile.render(template);
    }

    @Test
    void theCommittedValuesAreTheStacksOutput() {
        assertThat(FILE)
                .as("k8s/ci/cdk-values.json differs from the app's HelmValues: run "
                        + "./mvnw -pl infra compile exec:java@helm-values")
                .hasContent(rendered);
    }

    @Test
    void theValuesNameEverythingTheChartNeeds() throws Exception {
        JsonNode values = new ObjectMapper().readTree(rendered);
        assertThat(values.at("/aws/region").asText()).isEqualTo(HelmValuesFile.REGION);
        assertThat(values.at("/aws/s3SseKmsKeyId").asText()).isEqualTo(HelmValuesFile.KEY_ARN);
        assertThat(values.at("/names/bucket").asText()).isEqualTo(HelmValuesFile.BUCKET);
        assertThat(values.at("/names/archivePrefix").asText()).isEqualTo("anomalies/");
        assertThat(values.at("/names/tradesStream").asText()).isEqualTo("stock-trades");
        assertThat(values.at("/names/anomaliesStream").asText()).isEqualTo("anomalous-trades");
        assertThat(values.at("/names/detectorApplication").asText()).isEqualTo("anomaly-detector");
        assertThat(values.at("/names/archiverApplication").asText()).isEqualTo("s3-archiver");
        for (String service : new String[] {"producer", "detector", "archiver"}) {
            assertThat(values.at("/" + service + "/serviceAccount/roleArn").asText())
                    .startsWith("arn:aws:iam::" + HelmValuesFile.ACCOUNT + ":role/");
            assertThat(values.at("/" + service + "/serviceAccount/name").asText())
                    .isIn("trade-producer", "anomaly-detector", "s3-archiver");
        }
    }

    @Test
    void theArchiversRoleAllowsExactlyThePrefixTheValuesGiveTheChart() throws Exception {
        String prefix =
                new ObjectMapper().readTree(rendered).at("/names/archivePrefix").asText();
        Map<String, String> policies = IamPolicyFiles.render(template);
        String archiver = policies.get("s3-archiver-policy.json");
        String objects = "arn:aws:s3:::" + HelmValuesFile.BUCKET + "/";
        assertThat(archiver)
                .contains("\"" + objects + prefix + "????/??/??/??/*\"")
                .contains("\"" + prefix + "????/??/??/??/*\"") // the listing condition
                .doesNotContain("\"" + objects + "????/??/??/??/*\"");
    }
}
