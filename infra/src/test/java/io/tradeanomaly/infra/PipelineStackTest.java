package io.tradeanomaly.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The synthesized template: what the stack holds, and that every policy is least-privilege. */
class PipelineStackTest {

    private final Template template = SynthesizedStack.get().template;

    @Test
    void bothStreamsHaveTheirShardsRetentionAndEncryption() {
        template.resourceCountIs("AWS::Kinesis::Stream", 2);
        template.hasResourceProperties(
                "AWS::Kinesis::Stream",
                Map.of(
                        "Name",
                        "stock-trades",
                        "ShardCount",
                        2,
                        "RetentionPeriodHours",
                        24,
                        "StreamModeDetails",
                        Map.of("StreamMode", "PROVISIONED"),
                        "StreamEncryption",
                        Map.of("EncryptionType", "KMS", "KeyId", "alias/aws/kinesis")));
        template.hasResourceProperties(
                "AWS::Kinesis::Stream",
                Map.of(
                        "Name",
                        "anomalous-trades",
                        "ShardCount",
                        1,
                        "StreamEncryption",
                        Map.of("EncryptionType", "KMS", "KeyId", "alias/aws/kinesis")));
    }

    @Test
    void theArchiveBucketIsEncryptedPrivateVersionedLoggedAndExpiresDeadLettersAndOldSnapshots() {
        template.hasResourceProperties(
                "AWS::S3::Bucket",
                Map.of(
                        "BucketEncryption",
                        Map.of(
                                "ServerSideEncryptionConfiguration",
                                List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                        "PublicAccessBlockConfiguration",
                        Map.of(
                                "BlockPublicAcls", true,
                                "BlockPublicPolicy", true,
                                "IgnorePublicAcls", true,
                                "RestrictPublicBuckets", true),
                        "VersioningConfiguration",
                        Map.of("Status", "Enabled"),
                        "LoggingConfiguration",
                        Match.objectLike(Map.of("LogFilePrefix", "archive/")),
                        "LifecycleConfiguration",
                        Map.of(
                                "Rules",
                                Match.arrayWith(List.of(
                                        Match.objectLike(Map.of(
                                                "Id", "expire-dead-letters",
                                                "Prefix", "errors/",
                                                "ExpirationInDays", 90,
                                                "Status", "Enabled")),
                                        Match.objectLike(Map.of(
                                                "Id", "expire-old-model-snapshots",
                                                "Prefix", "model-snapshots/anomaly-detector/",
                                                "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 7),
                                                "Status", "Enabled")))))));
        template.resourceCountIs("AWS::S3::Bucket", 2); // the archive and its access-log bucket
        template.allResources("AWS::S3::Bucket", Match.objectLike(Map.of("DeletionPolicy", "Retain")));
    }

    @Test
    void bothBucketsRefuseRequestsWithoutTls() {
        template.resourceCountIs("AWS::S3::BucketPolicy", 2);
        template.allResourcesProperties(
                "AWS::S3::BucketPolicy",
                Map.of(
                        "PolicyDocument",
                        Match.objectLike(Map.of(
                                "Statement",
                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                        "Effect", "Deny",
                                        "Action", "s3:*",
                                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));
    }

    @Test
    void eachRoleTrustsOnlyItsServiceAccountThroughTheClustersOidcProvider() {
        template.resourceCountIs("AWS::IAM::Role", 3);
        for (String account : List.of("trade-producer", "anomaly-detector", "s3-archiver")) {
            template.hasResourceProperties(
                    "AWS::IAM::Role",
                    Match.objectLike(Map.of(
                            "AssumeRolePolicyDocument",
                            Match.objectLike(Map.of(
                                    "Statement",
                                    List.of(Map.of(
                                            "Action",
                                            "sts:AssumeRoleWithWebIdentity",
                                            "Effect",
                                            "Allow",
                                            "Principal",
                                            Map.of("Federated", Match.anyValue()),
                                            "Condition",
                                            Map.of(
                                                    "StringEquals",
                                                    Map.of(
                                                            SynthesizedStack.OIDC + ":sub",
                                                            "system:serviceaccount:trade-anomaly-pipeline:" + account,
                                                            SynthesizedStack.OIDC + ":aud",
                                                            "sts.amazonaws.com")))))))));
        }
    }

    @Test
    void noPolicyAllowsAWildcardActionNorAnyDeletion() {
        List<String> actions = new ArrayList<>();
        IamPolicyFiles.render(template.toJSON()).values().forEach(json -> {
            var matcher = java.util.regex.Pattern.compile("\"([a-z0-9]+:[A-Za-z*]+)\"")
                    .matcher(json);
            while (matcher.find()) {
                actions.add(matcher.group(1));
            }
        });
        assertThat(actions).isNotEmpty().noneMatch(action -> action.contains("*"));
        assertThat(actions)
                .noneMatch(action -> action.startsWith("s3:Delete") || action.equals("dynamodb:DeleteTable"));
    }

    @Test
    void eachServiceMayOnlyDoWhatItsCodeCalls() {
        Map<String, String> policies = IamPolicyFiles.render(template.toJSON());
        assertThat(policies)
                .containsOnlyKeys(
                        "trade-producer-policy.json", "anomaly-detector-policy.json", "s3-archiver-policy.json");
        String producer = policies.get("trade-producer-policy.json");
        assertThat(producer)
                .contains(
                        "kinesis:PutRecords",
                        "kinesis:DescribeStreamSummary",
                        ":stream/stock-trades\"",
                        "/runtime-settings/trade-producer.json\"")
                .doesNotContain("anomalous-trades\"", "dynamodb:", "s3:DeleteObject", "anomaly-detector.json");
        String detector = policies.get("anomaly-detector-policy.json");
        assertThat(detector)
                .contains(
                        "table/anomaly-detector\"",
                        "table/anomaly-detector/index/LeaseOwnerToLeaseKeyIndex\"",
                        "table/anomaly-detector-CoordinatorState\"",
                        "table/anomaly-detector-WorkerMetricStats\"",
                        "/errors/anomaly-detector/*\"",
                        "/model-snapshots/anomaly-detector/*\"",
                        "/runtime-settings/anomaly-detector.json\"")
                .doesNotContain("table/s3-archiver", "errors/s3-archiver", "trade-producer.json");
        String archiver = policies.get("s3-archiver-policy.json");
        assertThat(archiver)
                .contains("table/s3-archiver\"", "/????/??/??/??/*\"", "\"s3:prefix\"", "/errors/s3-archiver/*\"")
                .doesNotContain("stock-trades", "kinesis:PutRecord", "model-snapshots", "table/anomaly-detector");
    }

    @Test
    void theOutputsFeedTheHelmValues() {
        for (String output : List.of(
                "TradesStreamName",
                "AnomaliesStreamName",
                "BucketName",
                "TradeProducerRoleArn",
                "AnomalyDetectorRoleArn",
                "S3ArchiverRoleArn",
                "ArchivePrefix",
                "Namespace",
                "GlueDatabase",
                "AthenaTable",
                "AthenaWorkGroup",
                "HelmValues")) {
            template.hasOutput(output, Match.objectLike(Map.of("Value", Match.anyValue())));
        }
        String helmValues = template.findOutputs("HelmValues").toString();
        assertThat(helmValues)
                .contains(
                        "serviceAccount",
                        "roleArn",
                        "tradesStream",
                        "anomaliesStream",
                        "bucket",
                        "archivePrefix",
                        "detectorApplication",
                        "archiverApplication",
                        "region");
    }

    @Test
    void theAthenaWorkGroupEncryptsItsResultsUnderTheirOwnPrefixAndBoundsEachQuerysScan() {
        template.resourceCountIs("AWS::Athena::WorkGroup", 1);
        template.hasResourceProperties(
                "AWS::Athena::WorkGroup",
                Match.objectLike(Map.of(
                        "Name",
                        "trade-anomaly-pipeline",
                        "WorkGroupConfiguration",
                        Match.objectLike(Map.of(
                                "EnforceWorkGroupConfiguration",
                                true,
                                "BytesScannedCutoffPerQuery",
                                10_000_000_000L,
                                "EngineVersion",
                                Map.of("SelectedEngineVersion", "Athena engine version 3"),
                                "ResultConfiguration",
                                Match.objectLike(Map.of(
                                        "EncryptionConfiguration",
                                        Map.of("EncryptionOption", "SSE_S3"),
                                        "OutputLocation",
                                        Match.anyValue())))))));
        assertThat(template.findResources("AWS::Athena::WorkGroup").toString()).contains("/athena-results/");
        template.hasResourceProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "LifecycleConfiguration",
                        Map.of(
                                "Rules",
                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                        "Id", "expire-athena-results",
                                        "Prefix", "athena-results/",
                                        "ExpirationInDays", 30))))))));
        template.resourceCountIs("AWS::Glue::Database", 1);
        template.hasResourceProperties(
                "AWS::Glue::Database",
                Match.objectLike(Map.of("DatabaseInput", Match.objectLike(Map.of("Name", "trade_anomaly_pipeline")))));
    }

    @Test
    void anArchivePrefixMustBeAFolder() {
        PipelineSettings defaults = PipelineSettings.designDefaults();
        assertThat(defaults.withArchivePrefix("anomalies/").archivePrefix()).isEqualTo("anomalies/");
        for (String bad : List.of("anomalies", "/anomalies/")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> defaults.withArchivePrefix(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("archivePrefix");
        }
    }

    @Test
    void theTemplateNeedsNoLambdaAndIsWrittenToCdkOut() {
        template.resourceCountIs("AWS::Lambda::Function", 0);
        template.resourceCountIs("AWS::CloudFormation::CustomResource", 0);
        assertThat(SynthesizedStack.OUT.resolve(InfraApp.STACK_NAME + ".template.json"))
                .satisfies(path -> assertThat(Files.exists(path)).isTrue());
    }
}
