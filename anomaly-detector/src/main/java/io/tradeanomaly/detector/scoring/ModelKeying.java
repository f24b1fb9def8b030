package io.tradeanomaly.detector.scoring;

/** Which trades share a Random Cut Forest. */
public enum ModelKeying {
    /** One forest per shard over all tickers: exactly the Kinesis Data Analytics setup. */
    GLOBAL,
    /** One forest per ticker symbol (the partition key sends a ticker's trades to one shard processor). */
    PER_TICKER
}
