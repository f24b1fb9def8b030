package io.tradeanomaly.detector.live;

/**
 * The other services' figures on the live page, read from the services themselves; null where a service did not
 * answer.
 *
 * @param producer whether the producer answers, and where it is polled ({@code detector.producer-url})
 * @param tradesProducedPerSecond trades the producer put per second over the last 10 s
 * @param archiver whether the archiver answers, and where it is polled ({@code detector.archiver-url})
 * @param anomaliesArchived anomalies the archiver has written to S3 since it started
 * @param archiveObjectsWritten archive objects it has written since it started
 * @param archiverLagMillis how far it is behind the anomalies stream (highest over its shards)
 */
public record PipelineFigures(
        RemoteMetrics.Status producer,
        Double tradesProducedPerSecond,
        RemoteMetrics.Status archiver,
        Double anomaliesArchived,
        Double archiveObjectsWritten,
        Double archiverLagMillis) {}
