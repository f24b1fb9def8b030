package io.tradeanomaly.detector.scoring;

/** Which records share a Random Cut Forest. */
public enum ModelKeying {
    /** One forest per shard over all keys: exactly the Kinesis Data Analytics setup. */
    GLOBAL,
    /** One forest per value of the key field (the partition key sends a key's records to one shard processor). */
    PER_KEY
}
