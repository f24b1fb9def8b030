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
import software.amazon.awscdk.services.athena.CfnWorkGroup;
import software.amazon.awscdk.services.glue.CfnDatabase;
import software.amazon.awscdk.services.glue.CfnTable;
import software.amazon.awscdk.services.iam.FederatedPrincipal;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.constructs.Construct;

/**
 * The pipeline's AWS resources: both streams, the archive bucket (with its access-log bucket), one IRSA role per
 * service, and the query side: a Glue database with the archive's table ({@link ArchiveTable}, partition projection)
 * and an Athena workgroup writing its results under {@code athena-results/}; optionally ({@code -c
 * archiveKmsKeyArn=...}) an existing customer-managed KMS key the bucket, the services and Athena encrypt with (the
 * stack does not own the key: the archive must stay readable whatever happens to the stack). The services' KCL lease tables are not
 * here: each consumer creates its own, with the index KCL 3.x needs, on first start (its role allows that, on those
 * table names only). Outputs: every name and role ARN, and {@code HelmValues}, the chart's values for this stack
 * (docs/aws.md turns it into a values file with one command).
 */
public class PipelineStack extends Stack {

    /** Tag naming the service a role is for (read by {@link IamPolicyFiles}). */
    public static final String SERVICE_TAG = "trade-anomaly-pipeline:service";

    private final Role producerRole;
    private final Role detectorRole;
    private final Role archiverRole;
    private final IKey archiveKey;

    public PipelineStack(Construct scope, String id, StackProps props, PipelineSettings settings) {
        super(scope, id, props);
        stream("TradesStream", settings.tradesStream(), settings.tradesShards(), settings);
        stream("AnomaliesStream", settings.anomaliesStream(), settings.anomaliesShards(), settings);
        archiveKey = settings.sseKms() ? Key.fromKeyArn(this, "ArchiveKey", settings.archiveKmsKeyArn()) : null;
        Bucket archive = archiveBucket(settings);
        CfnDatabase database = glueDatabase(settings);
        CfnTable table = archiveTable(settings, database);
        CfnWorkGroup workGroup = athenaWorkGroup(archive);

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
        output("ArchivePrefix", settings.archivePrefix(), "archive key prefix (values names.archivePrefix)");
        output("Namespace", settings.namespace(), "namespace the roles trust: helm install -n <this>");
        output("GlueDatabase", database.getRef(), "Glue database of the archive's Athena table");
        output("AthenaTable", settings.glueDatabase() + "." + table.getRef(), "the archive's Athena table");
        output("AthenaWorkGroup", workGroup.getRef(), "Athena workgroup (results under athena-results/)");
        if (archiveKey != null) {
            output(
                    "ArchiveKmsKeyArn",
                    settings.archiveKmsKeyArn(),
                    "the archive's KMS key (values aws.s3SseKmsKeyId; Athena users need kms:Decrypt on it)");
        }
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
        Bucket.Builder archive = Bucket.Builder.create(this, "ArchiveBucket");
        if (archiveKey == null) {
            archive.encryption(BucketEncryption.S3_MANAGED);
        } else {
            // an S3 Bucket Key: one data key per period instead of a KMS call per object (as the services ask too)
            archive.encryption(BucketEncryption.KMS).encryptionKey(archiveKey).bucketKeyEnabled(true);
        }
        return archive.bucketName(settings.bucketName())
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
                                .id("expire-athena-results")
                                .prefix(PipelineSettings.ATHENA_RESULTS)
                                .expiration(Duration.days(PipelineSettings.ATHENA_RESULTS_DAYS))
                                .noncurrentVersionExpiration(Duration.days(1))
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

    private CfnDatabase glueDatabase(PipelineSettings settings) {
        return CfnDatabase.Builder.create(this, "ArchiveDatabase")
                .catalogId(Aws.ACCOUNT_ID)
                .databaseInput(CfnDatabase.DatabaseInputProperty.builder()
                        .name(settings.glueDatabase())
                        .description("Trade Anomaly Pipeline: the anomaly archive")
                        .build())
                .build();
    }

    /**
     * {@link ArchiveTable} in Glue: what its DDL creates in Athena (its Parquet DDL with {@code -c archiveFormat=parquet}),
     * names lower-cased as the metastore keeps them.
     */
    private CfnTable archiveTable(PipelineSettings settings, CfnDatabase database) {
        List<CfnTable.ColumnProperty> columns = ArchiveTable.COLUMNS.stream()
                .map(column -> CfnTable.ColumnProperty.builder()
                        .name(ArchiveTable.metastoreName(column.name()))
                        .type(column.type())
                        .build())
                .toList();
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("EXTERNAL", "TRUE");
        parameters.put("classification", settings.archiveParquet() ? "parquet" : "json");
        parameters.putAll(
                ArchiveTable.properties(settings.bucketName(), settings.archivePrefix(), settings.archiveSince()));
        CfnTable table = CfnTable.Builder.create(this, "ArchiveGlueTable")
                .catalogId(Aws.ACCOUNT_ID)
                .databaseName(settings.glueDatabase())
                .tableInput(CfnTable.TableInputProperty.builder()
                        .name(ArchiveTable.NAME)
                        .description("Anomalies archived by s3-archiver (docs/archiver.md)")
                        .tableType("EXTERNAL_TABLE")
                        .parameters(parameters)
                        .partitionKeys(List.of(CfnTable.ColumnProperty.builder()
                                .name(ArchiveTable.PARTITION)
                                .type("string")
                                .build()))
                        .storageDescriptor(CfnTable.StorageDescriptorProperty.builder()
                                .location(ArchiveTable.location(settings.bucketName(), settings.archivePrefix()))
                                .inputFormat(
                                        settings.archiveParquet()
                                                ? ArchiveTable.PARQUET_INPUT_FORMAT
                                                : ArchiveTable.INPUT_FORMAT)
                                .outputFormat(
                                        settings.archiveParquet()
                                                ? ArchiveTable.PARQUET_OUTPUT_FORMAT
                                                : ArchiveTable.OUTPUT_FORMAT)
                                .serdeInfo(CfnTable.SerdeInfoProperty.builder()
                                        .serializationLibrary(
                                                settings.archiveParquet()
                                                        ? ArchiveTable.PARQUET_SERDE
                                                        : ArchiveTable.SERDE)
                                        .build())
                                .columns(columns)
                                .build())
                        .build())
                .build();
        table.addDependency(database);
        return table;
    }

    /**
     * Athena engine 3, results encrypted (SSE-S3, or SSE-KMS with the archive's key) under {@code athena-results/} of
     * the archive bucket and expired after 30 days; the settings are enforced on every query, which may scan at most
     * 10 GB.
     */
    private CfnWorkGroup athenaWorkGroup(Bucket archive) {
        CfnWorkGroup.EncryptionConfigurationProperty.Builder results =
                CfnWorkGroup.EncryptionConfigurationProperty.builder();
        if (archiveKey == null) {
            results.encryptionOption("SSE_S3");
        } else {
            results.encryptionOption("SSE_KMS").kmsKey(archiveKey.getKeyArn());
        }
        return CfnWorkGroup.Builder.create(this, "QueryWorkGroup")
                .name("trade-anomaly-pipeline")
                .description("Queries over the anomaly archive")
                .recursiveDeleteOption(true)
                .workGroupConfiguration(CfnWorkGroup.WorkGroupConfigurationProperty.builder()
                        .enforceWorkGroupConfiguration(true)
                        .publishCloudWatchMetricsEnabled(true)
                        .bytesScannedCutoffPerQuery(PipelineSettings.ATHENA_SCAN_LIMIT_BYTES)
                        .engineVersion(CfnWorkGroup.EngineVersionProperty.builder()
                                .selectedEngineVersion("Athena engine version 3")
                                .build())
                        .resultConfiguration(CfnWorkGroup.ResultConfigurationProperty.builder()
                                .outputLocation(
                                        "s3://" + archive.getBucketName() + "/" + PipelineSettings.ATHENA_RESULTS)
                                .encryptionConfiguration(results.build())
                                .build())
                        .build())
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

    /**
     * The chart's values for this stack: every name the services use and the roles' service accounts, so that what the
     * chart configures is what the roles allow (the archive prefix above all).
     */
    private Map<String, Object> helmValues(PipelineSettings settings, Bucket archive) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("region", Aws.REGION);
        if (archiveKey != null) {
            aws.put("s3SseKmsKeyId", settings.archiveKmsKeyArn());
        }
        values.put("aws", aws);
        Map<String, Object> names = new LinkedHashMap<>();
        names.put("tradesStream", settings.tradesStream());
        names.put("anomaliesStream", settings.anomaliesStream());
        names.put("bucket", archive.getBucketName());
        names.put("archivePrefix", settings.archivePrefix());
        names.put("detectorApplication", settings.detectorApplication());
        names.put("archiverApplication", settings.archiverApplication());
        values.put("names", names);
        values.put("producer", serviceAccountValues(PipelineSettings.PRODUCER, producerRole));
        values.put("detector", serviceAccountValues(PipelineSettings.DETECTOR, detectorRole));
        Map<String, Object> archiver =
                new LinkedHashMap<>(serviceAccountValues(PipelineSettings.ARCHIVER, archiverRole));
        if (settings.archiveParquet()) { // the format the Glue table reads
            archiver.put("settings", Map.of("ARCHIVER_FORMAT", "PARQUET"));
        }
        values.put("archiver", archiver);
        return values;
    }

    private static Map<String, Object> serviceAccountValues(String name, Role role) {
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("create", true);
        account.put("name", name);
        account.put("roleArn", role.getRoleArn());
        return Map.of("serviceAccount", account);
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }
}
