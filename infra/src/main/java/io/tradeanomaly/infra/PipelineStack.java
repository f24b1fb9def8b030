package io.tradeanomaly.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.iam.FederatedPrincipal;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.constructs.Construct;

/**
 * The pipeline's AWS resources: both streams, the archive bucket (with its access-log bucket) and one IRSA role per
 * service. The services' KCL lease tables are not here: each consumer creates its own, with the index KCL 3.x needs,
 * on first start (its role allows that, on those table names only). Outputs: the names and role ARNs, and
 * {@code HelmValues}, a values file for the chart.
 */
public class PipelineStack extends Stack {

    /** Tag naming the service a role is for (read by {@link IamPolicyFiles}). */
    public static final String SERVICE_TAG = "trade-anomaly-pipeline:service";

    private final Role producerRole;
    private final Role detectorRole;
    private final Role archiverRole;

    public PipelineStack(Construct scope, String id, StackProps props, PipelineSettings settings) {
        super(scope, id, props);
        stream("TradesStream", settings.tradesStream(), settings.tradesShards(), settings);
        stream("AnomaliesStream", settings.anomaliesStream(), settings.anomaliesShards(), settings);
        Bucket archive = archiveBucket(settings);

        ServicePolicies policies = new ServicePolicies(this, settings);
        producerRole = serviceRole("TradeProducerRole", PipelineSettings.PRODUCER, policies.producer(), settings);
        detectorRole = serviceRole("AnomalyDetectorRole", PipelineSettings.DETECTOR, policies.detector(), settings);
        archiverRole = serviceRole("S3ArchiverRole", PipelineSettings.ARCHIVER, policies.archiver(), settings);
        explainWildcards(
                detectorRole,
                Map.of(
                        "stream/[^/]+/consumer/" + settings.detectorApplication() + ":\\*",
                        "An enhanced fan-out consumer's ARN ends in its creation time, known only once KCL has registered it;"
                                + " the wildcard stands for that suffix of the detector's own consumer and nothing else.",
                        "/" + PipelineSettings.DETECTOR_ERRORS + "\\*",
                        "Dead letters get keys made at run time (hour folder, shard, first sequence number); the wildcard is"
                                + " confined to the detector's own dead-letter prefix.",
                        "/" + PipelineSettings.DETECTOR_SNAPSHOTS + "\\*",
                        "One model snapshot per ticker, named at run time; the wildcard is confined to the detector's own"
                                + " snapshot prefix."));
        explainWildcards(
                archiverRole,
                Map.of(
                        "/" + settings.archivePrefix() + PipelineSettings.HOUR_FOLDER_PATTERN.replace("?", "\\?")
                                + "\\*",
                        "Archive objects are keyed <prefix>YYYY/MM/DD/HH/<name made from shard and first sequence number>"
                                + " (Firehose's layout); the pattern admits hour folders under the archive prefix only.",
                        "/" + PipelineSettings.ARCHIVER_ERRORS + "\\*",
                        "Records that cannot be archived get run-time keys; the wildcard is confined to the archiver's own"
                                + " error prefix."));

        output("TradesStreamName", settings.tradesStream(), "trades stream (values names.tradesStream)");
        output("AnomaliesStreamName", settings.anomaliesStream(), "anomalies stream (values names.anomaliesStream)");
        output("BucketName", archive.getBucketName(), "archive bucket (values names.bucket)");
        output("TradeProducerRoleArn", producerRole.getRoleArn(), "IRSA role of trade-producer");
        output("AnomalyDetectorRoleArn", detectorRole.getRoleArn(), "IRSA role of anomaly-detector");
        output("S3ArchiverRoleArn", archiverRole.getRoleArn(), "IRSA role of s3-archiver");
        output("HelmValues", toJsonString(helmValues(settings, archive)), "values for helm install -f (JSON is YAML)");
    }

    private void stream(String id, String name, int shards, PipelineSettings settings) {
        Stream.Builder.create(this, id)
                .streamName(name)
                .streamMode(StreamMode.PROVISIONED)
                .shardCount(shards)
                .retentionPeriod(Duration.hours(settings.retentionHours()))
                // the AWS managed key aws/kinesis: encrypted at rest, no key policy for the services to need
                .encryption(StreamEncryption.MANAGED)
                .build();
    }

    private Bucket archiveBucket(PipelineSettings settings) {
        Bucket accessLogs = Bucket.Builder.create(this, "AccessLogsBucket")
                .encryption(BucketEncryption.S3_MANAGED) // the only encryption S3 server access logging writes to
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("expire-access-logs")
                        .expiration(Duration.days(365))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        NagSuppressions.addResourceSuppressions(
                accessLogs,
                List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-S1")
                        .reason("This is the access-log bucket of the archive; logging it into itself would loop.")
                        .build()),
                true);
        return Bucket.Builder.create(this, "ArchiveBucket")
                .bucketName(settings.bucketName())
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                // an overwritten or deleted object stays recoverable for a while (see the noncurrent rules below)
                .versioned(true)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("archive/")
                .lifecycleRules(List.of(
                        LifecycleRule.builder()
                                .id("expire-dead-letters")
                                .prefix("errors/")
                                .expiration(Duration.days(90))
                                .noncurrentVersionExpiration(Duration.days(1))
                                .build(),
                        LifecycleRule.builder()
                                .id("expire-old-model-snapshots")
                                .prefix(PipelineSettings.DETECTOR_SNAPSHOTS)
                                // a snapshot is overwritten in place: its earlier versions are the old snapshots
                                .noncurrentVersionExpiration(Duration.days(7))
                                // a ticker not traded for 90 days starts from a fresh model
                                .expiration(Duration.days(90))
                                .build(),
                        LifecycleRule.builder()
                                .id("archive-housekeeping")
                                .abortIncompleteMultipartUploadAfter(Duration.days(7))
                                // a replaced archive object (a retried flush rewrites the same key) is kept 30 days
                                .noncurrentVersionExpiration(Duration.days(30))
                                .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    private Role serviceRole(
            String id, String serviceAccount, List<PolicyStatement> statements, PipelineSettings settings) {
        String issuer = settings.oidcProvider();
        String provider = Arn.format(
                ArnComponents.builder()
                        .service("iam")
                        .region("")
                        .resource("oidc-provider")
                        .resourceName(issuer)
                        .build(),
                this);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put(issuer + ":sub", "system:serviceaccount:" + settings.namespace() + ":" + serviceAccount);
        claims.put(issuer + ":aud", "sts.amazonaws.com");
        Role role = Role.Builder.create(this, id)
                .description("IRSA role of " + serviceAccount + " (service account " + settings.namespace() + "/"
                        + serviceAccount + ")")
                .assumedBy(new FederatedPrincipal(
                        provider, Map.of("StringEquals", claims), "sts:AssumeRoleWithWebIdentity"))
                .inlinePolicies(Map.of(
                        "least-privilege",
                        PolicyDocument.Builder.create().statements(statements).build()))
                .build();
        Tags.of(role).add(SERVICE_TAG, serviceAccount);
        return role;
    }

    /**
     * cdk-nag's AwsSolutions-IAM5 flags every resource ARN with a wildcard: each of this role's is suppressed with its
     * reason, matched by the end of the ARN (a regular expression), so that a new wildcard is flagged again.
     */
    private static void explainWildcards(Role role, Map<String, String> reasonsByArnEnd) {
        List<NagPackSuppression> suppressions = new ArrayList<>();
        reasonsByArnEnd.forEach((arnEnd, reason) -> suppressions.add(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason(reason)
                .appliesTo(List.of(RegexAppliesTo.builder()
                        .regex("/^Resource::arn:.*" + arnEnd.replace("/", "\\/") + "$/")
                        .build()))
                .build()));
        NagSuppressions.addResourceSuppressions(role, suppressions, true);
    }

    private Map<String, Object> helmValues(PipelineSettings settings, Bucket archive) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("aws", Map.of("region", Aws.REGION));
        values.put(
                "names",
                Map.of(
                        "tradesStream", settings.tradesStream(),
                        "anomaliesStream", settings.anomaliesStream(),
                        "bucket", archive.getBucketName()));
        values.put("producer", serviceAccountValues(PipelineSettings.PRODUCER, producerRole));
        values.put("detector", serviceAccountValues(PipelineSettings.DETECTOR, detectorRole));
        values.put("archiver", serviceAccountValues(PipelineSettings.ARCHIVER, archiverRole));
        return values;
    }

    private static Map<String, Object> serviceAccountValues(String name, Role role) {
        return Map.of("serviceAccount", Map.of("create", true, "name", name, "roleArn", role.getRoleArn()));
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }
}
