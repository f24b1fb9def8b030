package io.tradeanomaly.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * The least-privilege policy of each service: exactly the AWS calls its code makes, on its own resources only. ARNs
 * are built from the names (not from the constructs), so that the policies read the same in the template and in
 * k8s/iam/*.json.
 */
final class ServicePolicies {

    private static final List<String> KCL_STREAM_READ = List.of(
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:ListShards",
            "kinesis:GetShardIterator",
            "kinesis:GetRecords");

    /** KCL 3.x: lease, coordinator-state and worker-metrics tables, created by the consumer itself when missing. */
    private static final List<String> KCL_TABLES = List.of(
            "dynamodb:CreateTable",
            "dynamodb:DescribeTable",
            "dynamodb:UpdateTable",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:Scan",
            "dynamodb:Query");

    private final Stack stack;
    private final PipelineSettings settings;

    ServicePolicies(Stack stack, PipelineSettings settings) {
        this.stack = stack;
        this.settings = settings;
    }

    /**
     * PutRecords to the trades stream; DescribeStreamSummary for the shard estimate; its runtime settings object,
     * shared by its replicas.
     */
    List<PolicyStatement> producer() {
        return withArchiveKey(
                allow(
                        "PutTrades",
                        List.of("kinesis:PutRecords", "kinesis:PutRecord", "kinesis:DescribeStreamSummary"),
                        List.of(stream(settings.tradesStream()))),
                runtimeSettings(PipelineSettings.PRODUCER_SETTINGS),
                missingKeyIsNotFound("MissingSettingsAreNotFound"));
    }

    /**
     * A service's runtime settings object: read (and polled) by every replica, written conditionally on the version read
     * (compare-and-set).
     */
    private PolicyStatement runtimeSettings(String key) {
        return allow("SharedRuntimeSettings", List.of("s3:GetObject", "s3:PutObject"), List.of(objects(key)));
    }

    /**
     * S3 answers a GetObject of a missing key with 404 only to a caller that may ListBucket (else 403): a snapshot or a
     * settings object not written yet must read as "none". The permission is evaluated without a prefix.
     */
    private PolicyStatement missingKeyIsNotFound(String sid) {
        return allow(sid, List.of("s3:ListBucket"), List.of(bucket()));
    }

    List<PolicyStatement> detector() {
        String app = settings.detectorApplication();
        return withArchiveKey(
                allow("ConsumeTrades", KCL_STREAM_READ, List.of(stream(settings.tradesStream()))),
                allow(
                        "EnhancedFanOutOnlyWhenRetrievalIsFanout",
                        List.of(
                                "kinesis:RegisterStreamConsumer",
                                "kinesis:DescribeStreamConsumer",
                                "kinesis:SubscribeToShard"),
                        List.of(
                                stream(settings.tradesStream()),
                                stream(settings.tradesStream()) + "/consumer/" + app + ":*")),
                allow(
                        "PublishAnomalies",
                        List.of("kinesis:PutRecords", "kinesis:PutRecord"),
                        List.of(stream(settings.anomaliesStream()))),
                allow("KclLeaseCoordinatorAndWorkerMetricsTables", KCL_TABLES, kclTables(app)),
                // dead letters are merged into their minute's object (read, then a conditional write); snapshots are
                // restored, and written conditionally on the version read
                allow(
                        "DeadLettersAndModelSnapshots",
                        List.of("s3:PutObject", "s3:GetObject"),
                        List.of(
                                objects(PipelineSettings.DETECTOR_ERRORS + "*"),
                                objects(PipelineSettings.DETECTOR_SNAPSHOTS + "*"))),
                runtimeSettings(PipelineSettings.DETECTOR_SETTINGS),
                missingKeyIsNotFound("MissingSnapshotIsNotFound"));
    }

    List<PolicyStatement> archiver() {
        String app = settings.archiverApplication();
        String hours = settings.archivePrefix() + PipelineSettings.HOUR_FOLDER_PATTERN;
        return withArchiveKey(
                allow("ConsumeAnomalies", KCL_STREAM_READ, List.of(stream(settings.anomaliesStream()))),
                allow("KclLeaseCoordinatorAndWorkerMetricsTables", KCL_TABLES, kclTables(app)),
                allow(
                        "WriteAndReadBackArchive",
                        List.of("s3:PutObject", "s3:GetObject"),
                        List.of(objects(hours + "*"))),
                // dead letters are merged into their minute's object: read, then a conditional write
                allow(
                        "WriteErrors",
                        List.of("s3:PutObject", "s3:GetObject"),
                        List.of(objects(PipelineSettings.ARCHIVER_ERRORS + "*"))),
                PolicyStatement.Builder.create()
                        .sid("ListOwnArchiveHours")
                        .effect(Effect.ALLOW)
                        .actions(List.of("s3:ListBucket"))
                        .resources(List.of(bucket()))
                        .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(hours + "*"))))
                        .build());
    }

    /**
     * A service's statements, and with the archive's KMS key the two calls S3 makes on its behalf with it: a write
     * (PutObject) needs {@code kms:GenerateDataKey}, a read (GetObject, and the read before a conditional merge)
     * {@code kms:Decrypt}. Every service writes and reads the bucket, so each gets both, on that key only.
     */
    private List<PolicyStatement> withArchiveKey(PolicyStatement... statements) {
        List<PolicyStatement> all = new ArrayList<>(List.of(statements));
        if (settings.sseKms()) {
            all.add(allow(
                    "ArchiveKmsKey",
                    List.of("kms:GenerateDataKey", "kms:Decrypt"),
                    List.of(settings.archiveKmsKeyArn())));
        }
        return List.copyOf(all);
    }

    private List<String> kclTables(String app) {
        return List.of(
                table(app),
                table(app + "/index/LeaseOwnerToLeaseKeyIndex"),
                table(app + "-CoordinatorState"),
                table(app + "-WorkerMetricStats"));
    }

    private String stream(String name) {
        return Arn.format(
                ArnComponents.builder()
                        .service("kinesis")
                        .resource("stream")
                        .resourceName(name)
                        .build(),
                stack);
    }

    private String table(String name) {
        return Arn.format(
                ArnComponents.builder()
                        .service("dynamodb")
                        .resource("table")
                        .resourceName(name)
                        .build(),
                stack);
    }

    String bucket() {
        return "arn:" + Aws.PARTITION + ":s3:::" + settings.bucketName();
    }

    private String objects(String keyPattern) {
        return bucket() + "/" + keyPattern;
    }

    private static PolicyStatement allow(String sid, List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(resources)
                .build();
    }
}
