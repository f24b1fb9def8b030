package io.tradeanomaly.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * With {@code -c archiveKmsKeyArn=<key ARN>} (a Firehose user's SSE-KMS key), the archive is encrypted with that key
 * by default, the three service roles (each writes and reads the bucket) may use exactly that key for S3's two calls,
 * Athena's results use it, and the Helm values hand it to the services ({@code pipeline.aws.s3.sse-kms-key-id}).
 * Without it, no role may use any key (PipelineStackTest's stack).
 */
class ArchiveKmsKeyTest {

    private static final String KEY = HelmValuesFile.KEY_ARN;
    private static Template template;
    private static Annotations annotations;

    @BeforeAll
    static void synthesizeOnce() {
        App app = new App(AppProps.builder().context(InfraApp.FEATURE_FLAGS).build());
        PipelineStack stack = InfraApp.stack(app, HelmValuesFile.settings());
        template = Template.fromStack(stack);
        annotations = Annotations.fromStack(stack);
    }

    @Test
    void theArchiveBucketIsSseKmsWithTheKeyAndABucketKey() {
        template.hasResourceProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "BucketName",
                        HelmValuesFile.BUCKET,
                        "BucketEncryption",
                        Map.of(
                                "ServerSideEncryptionConfiguration",
                                List.of(Map.of(
                                        "BucketKeyEnabled",
                                        true,
                                        "ServerSideEncryptionByDefault",
                                        Map.of("SSEAlgorithm", "aws:kms", "KMSMasterKeyID", KEY)))))));
        template.resourceCountIs("AWS::KMS::Key", 0); // the user's key: the stack neither creates nor deletes it
    }

    @Test
    void eachServiceRoleMayGenerateDataKeysAndDecryptWithThatKeyOnly() {
        Map<String, String> policies = IamPolicyFiles.render(template.toJSON());
        assertThat(policies).hasSize(3);
        policies.forEach((file, policy) -> {
            assertThat(policy)
                    .as(file)
                    .contains("\"ArchiveKmsKey\"", "\"kms:GenerateDataKey\"", "\"kms:Decrypt\"", "\"" + KEY + "\"");
            assertThat(policy.split("\"kms:", -1)).as(file).hasSize(3); // exactly those two actions
        });
        Map<String, String> withoutKey =
                IamPolicyFiles.render(SynthesizedStack.get().template.toJSON());
        assertThat(String.join("\n", withoutKey.values())).doesNotContain("kms:");
    }

    @Test
    void athenaWritesItsResultsWithTheKey() {
        template.hasResourceProperties(
                "AWS::Athena::WorkGroup",
                Match.objectLike(Map.of(
                        "WorkGroupConfiguration",
                        Match.objectLike(Map.of(
                                "ResultConfiguration",
                                Match.objectLike(Map.of(
                                        "EncryptionConfiguration",
                                        Map.of("EncryptionOption", "SSE_KMS", "KmsKey", KEY))))))));
    }

    @Test
    void theHelmValuesAndAnOutputCarryTheKeyToTheServices() throws Exception {
        template.hasOutput("ArchiveKmsKeyArn", Match.objectLike(Map.of("Value", KEY)));
        String values = HelmValuesFile.render(template.toJSON());
        assertThat(new ObjectMapper().readTree(values).at("/aws/s3SseKmsKeyId").asText())
                .isEqualTo(KEY);
        assertThat(SynthesizedStack.get().template.findOutputs("ArchiveKmsKeyArn"))
                .isEmpty();
    }

    @Test
    void cdkNagFindsNothingWithTheKeyEither() {
        assertThat(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .isEmpty();
        assertThat(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .isEmpty();
    }

    @Test
    void theKeyIsGivenByItsKeyArn() {
        PipelineSettings defaults = PipelineSettings.designDefaults();
        assertThat(defaults.withArchiveKmsKeyArn(" " + KEY + " ").archiveKmsKeyArn())
                .isEqualTo(KEY);
        for (String bad :
                List.of("alias/archive", "1234abcd-12ab-34cd-56ef-1234567890ab", KEY.replace(":key/", ":alias/"))) {
            assertThatThrownBy(() -> defaults.withArchiveKmsKeyArn(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("archiveKmsKeyArn");
        }
    }
}
