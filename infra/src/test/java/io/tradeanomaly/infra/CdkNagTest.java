package io.tradeanomaly.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.services.s3.Bucket;

/** cdk-nag's AwsSolutions rules find nothing in the stack that is not suppressed in code with its reason. */
class CdkNagTest {

    @Test
    void awsSolutionsFindsNoErrorAndNoWarning() {
        Annotations annotations = SynthesizedStack.get().annotations;
        assertThat(readable(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))))
                .as("cdk-nag errors")
                .isEmpty();
        assertThat(readable(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))))
                .as("cdk-nag warnings")
                .isEmpty();
    }

    private static List<String> readable(List<SynthesisMessage> messages) {
        return messages.stream()
                .map(message -> message.getId() + ": " + message.getEntry().getData())
                .toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everySuppressionGivesItsReason() {
        List<String> suppressions = new ArrayList<>();
        Map<String, Object> resources =
                (Map<String, Object>) SynthesizedStack.get().template.toJSON().get("Resources");
        resources.forEach((id, resource) -> {
            Map<String, Object> metadata =
                    (Map<String, Object>) ((Map<String, Object>) resource).getOrDefault("Metadata", Map.of());
            Map<String, Object> nag = (Map<String, Object>) metadata.getOrDefault("cdk_nag", Map.of());
            for (Object rule : (List<Object>) nag.getOrDefault("rules_to_suppress", List.of())) {
                Map<String, Object> suppression = (Map<String, Object>) rule;
                assertThat((String) suppression.get("reason"))
                        .as("reason of %s", suppression)
                        .hasSizeGreaterThan(20);
                suppressions.add(id + " " + suppression.get("id") + " " + suppression.getOrDefault("applies_to", "")
                        + ": " + suppression.get("reason"));
            }
        });
        suppressions.forEach(s -> System.out.println("cdk-nag suppression: " + s));
        assertThat(suppressions).isNotEmpty();
    }

    @Test
    void theRulesDoRunAnUnencryptedBucketWithoutTlsIsFound() {
        App app = new App();
        Stack stack = new Stack(app, "Careless");
        Bucket.Builder.create(stack, "Careless").build();
        Aspects.of(app).add(new AwsSolutionsChecks());
        app.synth();
        assertThat(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-S10.*")))
                .isNotEmpty();
    }
}
