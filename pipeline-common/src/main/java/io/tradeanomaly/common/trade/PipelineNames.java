package io.tradeanomaly.common.trade;

/** Default names of the pipeline's AWS resources (docs/contracts.md, "Defaults"). */
public final class PipelineNames {

    public static final String TRADES_STREAM = "stock-trades";
    public static final int TRADES_STREAM_LOCAL_SHARDS = 2;
    public static final String ANOMALIES_STREAM = "anomalous-trades";
    public static final int ANOMALIES_STREAM_LOCAL_SHARDS = 1;
    public static final String ARCHIVE_BUCKET = "anomalous-trades-archive";
    public static final String DETECTOR_APPLICATION = "anomaly-detector";
    public static final String ARCHIVER_APPLICATION = "s3-archiver";

    private PipelineNames() {}
}
