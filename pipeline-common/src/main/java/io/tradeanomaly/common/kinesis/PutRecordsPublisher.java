package io.tradeanomaly.common.kinesis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tradeanomaly.common.retry.Backoff;
import io.tradeanomaly.common.retry.Retries;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Puts records on a stream with PutRecords and retries <em>only the entries that failed</em> (those with an
 * {@code errorCode()}, e.g. ProvisionedThroughputExceededException), with exponential backoff and jitter, a bounded
 * number of times (the pipeline's one retry mechanism, {@link Retries}); a request that fails as a whole (network,
 * timeout, cancellation) is retried whole. Batches respect the API limits (500 records, 5 MiB per request). Entries
 * still failing after the bound are returned to the caller, counted in {@code kinesis_put_failed_records_total{stream}}
 * and logged — never dropped silently. A caller that retries on its own terms (the detector: while it owns the shard)
 * puts each entry once with {@link #putOnce} and retries what it returns.
 */
public class PutRecordsPublisher {

    /** PutRecords limits. */
    public static final int MAX_RECORDS_PER_REQUEST = 500;

    public static final long MAX_BYTES_PER_REQUEST = 5L * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(PutRecordsPublisher.class);

    private final KinesisAsyncClient kinesis;
    private final String stream;
    private final Backoff retry;
    private final Counter failed;
    private final Counter retried;
    private final Counter throttled;
    private final Timer latency;

    /** A publisher for callers that retry themselves: {@link #putOnce} only, no retry of its own. */
    public PutRecordsPublisher(KinesisAsyncClient kinesis, String stream, MeterRegistry registry) {
        this(kinesis, stream, Backoff.ONCE, registry);
    }

    /** A publisher whose {@link #publish} retries failed entries with this backoff, then gives them up. */
    public PutRecordsPublisher(KinesisAsyncClient kinesis, String stream, Backoff retry, MeterRegistry registry) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.retry = retry;
        this.failed = Counter.builder("kinesis.put.failed.records")
                .description("Records that could not be put after all retries")
                .tag("stream", stream)
                .register(registry);
        this.retried = Counter.builder("kinesis.put.retried.records")
                .description("Record puts that failed an attempt (retried unless the bound was reached)")
                .tag("stream", stream)
                .register(registry);
        this.throttled = Counter.builder("kinesis.put.throttled.records")
                .description("Entries refused with ProvisionedThroughputExceededException")
                .tag("stream", stream)
                .register(registry);
        this.latency = Timer.builder("kinesis.put.records")
                .description("PutRecords request latency")
                .tag("stream", stream)
                .publishPercentileHistogram()
                .register(registry);
    }

    public String stream() {
        return stream;
    }

    /**
     * Puts everything, retrying failed entries within the retry bound; what still failed after it is returned,
     * counted in {@code kinesis_put_failed_records_total} and logged record by record.
     */
    public List<PutRecordsRequestEntry> publish(List<PutRecordsRequestEntry> entries) {
        List<PutRecordsRequestEntry> unsent = new ArrayList<>();
        for (List<PutRecordsRequestEntry> batch : batches(entries)) {
            unsent.addAll(publishBatch(batch));
        }
        if (!unsent.isEmpty()) {
            failed.increment(unsent.size());
            log.error(
                    "{} record(s) could not be put on {} after {} attempts",
                    unsent.size(),
                    stream,
                    retry.maxAttempts());
            for (PutRecordsRequestEntry entry : unsent) {
                log.error(
                        "Unsent record on {} (key {}): {}",
                        stream,
                        entry.partitionKey(),
                        entry.data().asUtf8String());
            }
        }
        return unsent;
    }

    /**
     * Puts every entry once (one attempt per request of at most 500 records) and returns those not accepted, for a
     * caller that retries them itself (the detector, through its shard's owner-bounded hand-off). Nothing is counted
     * as failed here: the caller still holds the records.
     */
    public List<PutRecordsRequestEntry> putOnce(List<PutRecordsRequestEntry> entries) {
        List<PutRecordsRequestEntry> unsent = new ArrayList<>();
        for (List<PutRecordsRequestEntry> batch : batches(entries)) {
            List<PutRecordsRequestEntry> failedEntries = attempt(batch);
            retried.increment(failedEntries.size());
            unsent.addAll(failedEntries);
        }
        return unsent;
    }

    private List<PutRecordsRequestEntry> publishBatch(List<PutRecordsRequestEntry> batch) {
        AtomicReference<List<PutRecordsRequestEntry>> pending = new AtomicReference<>(batch);
        try {
            Retries.call("PutRecords to " + stream, retry, () -> true, e -> e instanceof EntriesFailed, () -> {
                List<PutRecordsRequestEntry> failedEntries = attempt(pending.get());
                pending.set(failedEntries);
                if (!failedEntries.isEmpty()) {
                    retried.increment(failedEntries.size());
                    throw new EntriesFailed(failedEntries.size());
                }
                return null;
            });
        } catch (Retries.GaveUpException e) {
            // the entries still failing are returned to the caller
        }
        return pending.get();
    }

    /** Some entries of an attempt failed: the retry takes those again. */
    private static final class EntriesFailed extends RuntimeException {
        EntriesFailed(int entries) {
            super(entries + " entries not accepted", null, false, false);
        }
    }

    /** One PutRecords call; returns the entries that failed (all of them if the request itself failed). */
    private List<PutRecordsRequestEntry> attempt(List<PutRecordsRequestEntry> entries) {
        PutRecordsResponse response;
        Timer.Sample sample = Timer.start();
        try {
            response = kinesis.putRecords(b -> b.streamName(stream).records(entries))
                    .join();
        } catch (RuntimeException e) { // CompletionException, CancellationException, SdkException: the whole request
            log.warn(
                    "PutRecords of {} record(s) to {} failed: {}",
                    entries.size(),
                    stream,
                    String.valueOf(e.getCause() == null ? e : e.getCause()));
            return entries;
        } finally {
            sample.stop(latency);
        }
        if (response.failedRecordCount() == null || response.failedRecordCount() == 0) {
            return List.of();
        }
        List<PutRecordsRequestEntry> failedEntries = new ArrayList<>(response.failedRecordCount());
        List<PutRecordsResultEntry> results = response.records();
        for (int i = 0; i < results.size(); i++) {
            String errorCode = results.get(i).errorCode();
            if (errorCode != null) {
                failedEntries.add(entries.get(i));
                if ("ProvisionedThroughputExceededException".equals(errorCode)) {
                    throttled.increment();
                }
            }
        }
        return failedEntries;
    }

    /** Splits entries into requests of at most 500 records and 5 MiB (data plus partition keys). */
    static List<List<PutRecordsRequestEntry>> batches(List<PutRecordsRequestEntry> entries) {
        List<List<PutRecordsRequestEntry>> batches = new ArrayList<>();
        List<PutRecordsRequestEntry> current = new ArrayList<>();
        long bytes = 0;
        for (PutRecordsRequestEntry entry : entries) {
            long size = entry.data().asByteBuffer().remaining()
                    + entry.partitionKey().length();
            if (!current.isEmpty()
                    && (current.size() == MAX_RECORDS_PER_REQUEST || bytes + size > MAX_BYTES_PER_REQUEST)) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(entry);
            bytes += size;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** An entry with the given partition key and data. */
    public static PutRecordsRequestEntry entry(String partitionKey, byte[] data) {
        return PutRecordsRequestEntry.builder()
                .partitionKey(partitionKey)
                .data(SdkBytes.fromByteArrayUnsafe(data))
                .build();
    }
}
