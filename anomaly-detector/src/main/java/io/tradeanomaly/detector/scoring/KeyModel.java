package io.tradeanomaly.detector.scoring;

/**
 * One key's model: it scores a record first, then learns it (or not), like KDA. Not thread-safe (RCF updates are
 * not): a model belongs to one shard processor and is used by one thread at a time.
 */
public interface KeyModel {

    /**
     * Scores one record of the key, decides, explains an anomaly, then learns.
     *
     * @param features the record's features, in the configured order, finite and accepted by the method
     * @param epochMillis the record's time (its event time, or its arrival time)
     * @param threshold the current threshold (KDA: fixed; the calibrated method: the floor of its cut-off)
     */
    Verdict score(double[] features, long epochMillis, double threshold);

    /** Records this model has been given (warm-up included). */
    long seen();

    /** Whether the model has learnt enough to be worth a snapshot (a few records of warm-up are not). */
    boolean worthKeeping();
}
