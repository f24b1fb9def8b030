package io.tradeanomaly.infra;

import java.util.Objects;
import java.util.function.Function;
import software.amazon.awscdk.Aws;

/**
 * What the stack is made of, with the defaults of docs/contracts.md; each can be changed with a CDK context value
 * ({@code npx aws-cdk deploy -c tradesShards=4}). The names and prefixes must match the services' settings (the Helm
 * chart's {@code names.*} and the services' {@code *-prefix} defaults).
 *
 * @param oidcProvider the EKS cluster's OIDC issuer without {@code https://}
 *     ({@code oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE}); the roles trust its tokens
 * @param namespace the Kubernetes namespace the chart is installed in
 * @param tradesStream name of the trades stream
 * @param tradesShards shards of the trades stream (one detector worker per shard at most)
 * @param anomaliesStream name of the anomalies stream
 * @param anomaliesShards shards of the anomalies stream
 * @param retentionHours how long both streams keep records (24 to 8760)
 * @param bucketName name of the archive bucket; the default adds the account and region (bucket names are global)
 * @param archivePrefix the archiver's key prefix of archived objects ({@code archiver.prefix}, default empty)
 * @param detectorApplication the detector's KCL application name (lease table name)
 * @param archiverApplication the archiver's KCL application name (lease table name)
 * @param glueDatabase the Glue database of the Athena table over the archive
 * @param archiveSince the first hour the Athena table's partition projection covers ({@code yyyy/MM/dd/HH}): the
 *     archive's first hour, or earlier (an older Firehose archive in the same bucket, say)
 * @param archiveKmsKeyArn the ARN of an existing customer-managed KMS key (a Firehose delivery stream's SSE-KMS key,
 *     say) the archive is encrypted with: the bucket's default encryption, what the services ask for on every write
 *     ({@code pipeline.aws.s3.sse-kms-key-id}) and Athena's results; the service roles may use it. Empty = SSE-S3
 * @param archiveFormat {@code json} or {@code parquet}: the archiver's {@code archiver.format}, which the Athena table
 *     reads (JSON SerDe or Parquet) and the Helm values set
 */
public record PipelineSettings(
        String oidcProvider,
        String namespace,
        String tradesStream,
        int tradesShards,
        String anomaliesStream,
        int anomaliesShards,
        int retentionHours,
        String bucketName,
        String archivePrefix,
        String detectorApplication,
        String archiverApplication,
        String glueDatabase,
        String archiveSince,
        String archiveKmsKeyArn,
        String archiveFormat) {

    /** Service account names the roles trust and the Helm values set (whatever the release is called). */
    public static final String PRODUCER = "trade-producer";

    public static final String DETECTOR = "anomaly-detector";
    public static final String DEFAULT_GLUE_DATABASE = "trade_anomaly_pipeline";
    public static final String DEFAULT_ARCHIVE_SINCE = "2026/01/01/00";
    public static final String ARCHIVER = "s3-archiver";

    /** The detector's dead letters ({@code detector.dead-letter-prefix}). */
    public static final String DETECTOR_ERRORS = "errors/anomaly-detector/";
    /** The detector's model snapshots ({@code detector.snapshot-prefix}). */
    public static final String DETECTOR_SNAPSHOTS = "model-snapshots/anomaly-detector/";
    /** The archiver's rejected records ({@code archiver.error-prefix}). */
    public static final String ARCHIVER_ERRORS = "errors/s3-archiver/";
    /** The detector's runtime settings, shared by its replicas ({@code detector.settings-key}). */
    public static final String DETECTOR_SETTINGS = "runtime-settings/anomaly-detector.json";
    /** The producer's runtime settings, shared by its replicas ({@code producer.settings-key}). */
    public static final String PRODUCER_SETTINGS = "runtime-settings/trade-producer.json";
    /** Where the Athena workgroup writes query results (expired after {@link #ATHENA_RESULTS_DAYS} days). */
    public static final String ATHENA_RESULTS = "athena-results/";

    public static final int ATHENA_RESULTS_DAYS = 30;
    /** The Athena workgroup's bound on the data one query may scan (10 GB: at most $0.05 a query). */
    public static final long ATHENA_SCAN_LIMIT_BYTES = 10L * 1000 * 1000 * 1000;

    /** The archiver's hour folders under its prefix: {@code YYYY/MM/DD/HH/} (IAM's {@code ?} is one character). */
    public static final String HOUR_FOLDER_PATTERN = "????/??/??/??/";

    private static final java.util.regex.Pattern KEY_ARN =
            java.util.regex.Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+");

    public PipelineSettings {
        Objects.requireNonNull(oidcProvider, "oidcProvider");
        if (oidcProvider.startsWith("https://")) {
            oidcProvider = oidcProvider.substring("https://".length());
        }
        if (tradesShards < 1 || anomaliesShards < 1) {
            throw new IllegalArgumentException("a stream needs at least one shard");
        }
        if (retentionHours < 24 || retentionHours > 8760) {
            throw new IllegalArgumentException("Kinesis retention is 24 to 8760 hours, not " + retentionHours);
        }
        if (!archivePrefix.isEmpty() && (!archivePrefix.endsWith("/") || archivePrefix.startsWith("/"))) {
            throw new IllegalArgumentException(
                    "archivePrefix is a folder: empty, or like anomalies/ (no leading /, a trailing /), not "
                            + archivePrefix);
        }
        if (!archiveSince.matches("\\d{4}/\\d{2}/\\d{2}/\\d{2}")) {
            throw new IllegalArgumentException("archiveSince is an hour, yyyy/MM/dd/HH, not " + archiveSince);
        }
        archiveKmsKeyArn = archiveKmsKeyArn == null ? "" : archiveKmsKeyArn.strip();
        if (!archiveKmsKeyArn.isEmpty() && !KEY_ARN.matcher(archiveKmsKeyArn).matches()) {
            // IAM grants the use of a key by its key ARN; an alias or a bare key id would leave the roles without it
            throw new IllegalArgumentException(
                    "archiveKmsKeyArn is a key ARN, arn:aws:kms:<region>:<account>:key/<key id>, not "
                            + archiveKmsKeyArn);
        }
        if (!archiveFormat.equals("json") && !archiveFormat.equals("parquet")) {
            throw new IllegalArgumentException("archiveFormat is json or parquet, not " + archiveFormat);
        }
        if (!glueDatabase.matches("[a-z0-9_]{1,255}")) {
            throw new IllegalArgumentException(
                    "glueDatabase: lower-case letters, digits and _ (Athena's rule), not " + glueDatabase);
        }
    }

    /**
     * The settings from CDK context values (each optional but {@code oidcProvider}).
     *
     * @param context looks a context key up; null when it is not set
     */
    public static PipelineSettings fromContext(Function<String, Object> context) {
        Function<String, String> text = key -> {
            Object value = context.apply(key);
            return value == null ? null : value.toString();
        };
        String oidc = text.apply("oidcProvider");
        if (oidc == null || oidc.isBlank()) {
            throw new IllegalArgumentException(
                    "set the cluster's OIDC issuer: -c oidcProvider=$(aws eks describe-cluster "
                            + "--name <cluster> --query cluster.identity.oidc.issuer --output text)");
        }
        return new PipelineSettings(
                oidc,
                or(text.apply("namespace"), "trade-anomaly-pipeline"),
                or(text.apply("tradesStream"), "stock-trades"),
                Integer.parseInt(or(text.apply("tradesShards"), "2")),
                or(text.apply("anomaliesStream"), "anomalous-trades"),
                Integer.parseInt(or(text.apply("anomaliesShards"), "1")),
                Integer.parseInt(or(text.apply("retentionHours"), "24")),
                or(text.apply("bucketName"), "anomalous-trades-archive-" + Aws.ACCOUNT_ID + "-" + Aws.REGION),
                or(text.apply("archivePrefix"), ""),
                or(text.apply("detectorApplication"), "anomaly-detector"),
                or(text.apply("archiverApplication"), "s3-archiver"),
                or(text.apply("glueDatabase"), DEFAULT_GLUE_DATABASE),
                or(text.apply("archiveSince"), DEFAULT_ARCHIVE_SINCE),
                or(text.apply("archiveKmsKeyArn"), ""),
                or(text.apply("archiveFormat"), "json"));
    }

    /** The names of docs/contracts.md (bucket {@code anomalous-trades-archive}): those of k8s/iam/*.json and the chart's defaults. */
    public static PipelineSettings designDefaults() {
        return new PipelineSettings(
                "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE",
                "trade-anomaly-pipeline",
                "stock-trades",
                2,
                "anomalous-trades",
                1,
                24,
                "anomalous-trades-archive",
                "",
                "anomaly-detector",
                "s3-archiver",
                DEFAULT_GLUE_DATABASE,
                DEFAULT_ARCHIVE_SINCE,
                "",
                "json");
    }

    /** Whether the archive is encrypted with a customer-managed KMS key. */
    public boolean sseKms() {
        return !archiveKmsKeyArn.isEmpty();
    }

    /** The same settings with another archive prefix. */
    public PipelineSettings withArchivePrefix(String prefix) {
        return new PipelineSettings(
                oidcProvider,
                namespace,
                tradesStream,
                tradesShards,
                anomaliesStream,
                anomaliesShards,
                retentionHours,
                bucketName,
                prefix,
                detectorApplication,
                archiverApplication,
                glueDatabase,
                archiveSince,
                archiveKmsKeyArn,
                archiveFormat);
    }

    /** The same settings with the archive encrypted with this KMS key (empty: SSE-S3). */
    public PipelineSettings withArchiveKmsKeyArn(String keyArn) {
        return new PipelineSettings(
                oidcProvider,
                namespace,
                tradesStream,
                tradesShards,
                anomaliesStream,
                anomaliesShards,
                retentionHours,
                bucketName,
                archivePrefix,
                detectorApplication,
                archiverApplication,
                glueDatabase,
                archiveSince,
                keyArn,
                archiveFormat);
    }

    /** True when the archiver writes Parquet ({@code archiver.format=PARQUET}). */
    public boolean archiveParquet() {
        return archiveFormat.equals("parquet");
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
