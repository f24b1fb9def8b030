package io.tradeanomaly.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * k8s/iam/*.json are the CDK app's policies, as synthesized with the names of docs/contracts.md: edit {@link ServicePolicies}, then
 * regenerate them with {@code ./mvnw -pl infra compile exec:java@iam-policies}.
 */
class IamPolicyFilesTest {

    private static final Path DIR = Path.of("..", "k8s", "iam");
    private static Map<String, String> rendered;

    @BeforeAll
    static void synthesizeOnce() {
        rendered = IamPolicyFiles.policies(PipelineSettings.designDefaults());
    }

    @Test
    void theCommittedPolicyFilesAreThoseOfTheApp() throws Exception {
        assertThat(rendered).hasSize(3);
        try (var files = Files.list(DIR)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .as("files in k8s/iam")
                    .containsExactlyInAnyOrderElementsOf(rendered.keySet());
        }
        rendered.forEach((name, json) -> assertThat(DIR.resolve(name))
                .as("%s differs from the CDK app's policy: run ./mvnw -pl infra compile exec:java@iam-policies", name)
                .hasContent(json));
    }

    @Test
    void theFilesUsePlaceholdersForRegionAndAccountOnly() {
        rendered.values()
                .forEach(json -> assertThat(json.replace("${Region}", "").replace("${AccountId}", ""))
                        .doesNotContain("${", "Fn::", "Ref")
                        .contains("arn:aws:"));
    }
}
