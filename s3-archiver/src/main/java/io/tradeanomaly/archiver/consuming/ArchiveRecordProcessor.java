package io.tradeanomaly.archiver.consuming;

import io.tradeanomaly.archiver.partitioning.AnomalyLines;
import io.tradeanomaly.archiver.partitioning.ArchiveObject;
import io.tradeanomaly.archiver.partitioning.DuplicateFilter;
import io.tradeanomaly.archiver.partitioning.ObjectKeys;
import io.tradeanomaly.archiver.partitioning.PartitionSettings;
import io.tradeanomaly.archiver.partitioning.RecordPosition;
import io.tradeanomaly.archiver.partitioning.ShardBuffer;
import io.tradeanomaly.archiver.storage.ArchiveStatus;
import io.tradeanomaly.common.deadletter.DeadLetter;
import io.tradeanomaly.common.deadletter.DeadLetters;
import io.tradeanomaly.common.kcl.Checkpoints;
import io.tradeanomaly.common.kcl.LeaseView;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.common.kcl.ShardProcessorSupport;
import io.tradeanomaly.common.record.AnomalyLine;
import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.common.record.RecordRejectedException;
import io.tradeanomaly.common.record.RejectReason;
import io.tradeanomaly.common.s3.LineFormat;
import io.tradeanomaly.common.s3.NdjsonStore;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * One shard of the archive: validates each anomaly and stores it as one canonical UTF-8 line (as the object format
 * holds it: projected onto the columns for Parquet, a record it cannot hold dead-lettered), drops repeated anomaly
 * identities (the trade's shard and sequence number on the trades stream), buffers the rest into objects of one
 * buffer interval of arrival time whose boundaries depend only on the records ({@link ShardBuffer}), writes finished objects to S3 oldest first and
 * checkpoints only what S3 has accepted. Every write is made only while this processor owns the shard, and is merged
 * with what the object already holds ({@link NdjsonStore}), so a stale owner can never shorten an object. While S3
 * fails it retries inside the batch, so KCL hands it no new records and memory stays bounded by one open window and
 * its finished objects. Records that are not valid anomalies are dead-lettered under the error prefix before the batch
 * may be checkpointed.
 */
public class ArchiveRecordProcessor extends ShardProcessorSupport {

    private static final Logger log = LoggerFactory.getLogger(ArchiveRecordProcessor.class);

    private final int maxRecordBytes;
    private final ObjectKeys keys;
    private final PartitionSettings settings;
    private final DeadLetters deadLetters;
    private final Duration dedupeHorizon;
    private final NdjsonStore store;
    private final ArchiveStatus status;
    private final Clock clock;
    private ShardBuffer buffer;
    private DuplicateFilter duplicates;
    private String startPosition;
    private boolean seeded;
    private RecordPosition checkpointed;
    /** Dead letters of the records received, not yet stored; nothing after them is checkpointed before they are. */
    private final List<DeadLetter> pendingLetters = new ArrayList<>();
    /** True once every record of the current batch is held (buffered, a pending letter, or dropped as a repeat). */
    private boolean accounted = true;

    public ArchiveRecordProcessor(
            ShardLagMetrics lag,
            LeaseView leases,
            int maxRecordBytes,
            ObjectKeys keys,
            PartitionSettings settings,
            String errorPrefix,
            Duration dedupeHorizon,
            NdjsonStore store,
            ArchiveStatus status,
            Clock clock) {
        super(lag, leases);
        this.maxRecordBytes = maxRecordBytes;
        this.keys = keys;
        this.settings = settings;
        this.deadLetters = new DeadLetters(store, errorPrefix);
        this.dedupeHorizon = dedupeHorizon;
        this.store = store;
        this.status = status;
        this.clock = clock;
    }

    @Override
    protected void onStart(InitializationInput input) {
        buffer = new ShardBuffer(shardId(), keys, settings);
        duplicates = new DuplicateFilter(dedupeHorizon);
        startPosition = input.extendedSequenceNumber() == null
                ? null
                : input.extendedSequenceNumber().sequenceNumber();
    }

    @Override
    protected void process(ProcessRecordsInput input) {
        accounted = false;
        for (KinesisClientRecord record : input.records()) {
            RecordPosition position = new RecordPosition(record.sequenceNumber(), record.subSequenceNumber());
            AnomalyLine decoded;
            try {
                decoded = AnomalyLine.decode(JsonRecords.bytes(record.data()), maxRecordBytes);
            } catch (RecordRejectedException e) {
                status.rejected(e.reason());
                pendingLetters.add(DeadLetter.of(record, shardId(), e));
                buffer.skip(position);
                continue;
            }
            byte[] line;
            try {
                line = keys.format().conform(decoded.line());
            } catch (IllegalArgumentException e) {
                RecordRejectedException refused =
                        new RecordRejectedException(RejectReason.FORMAT_CONVERSION_FAILED, e.getMessage(), e);
                status.rejected(refused.reason());
                pendingLetters.add(DeadLetter.of(record, shardId(), refused));
                buffer.skip(position);
                continue;
            }
            AnomalyLines.Stored stored = AnomalyLines.read(decoded.line());
            Instant arrival = arrival(record, decoded);
            Instant sourceArrival = stored.time() != null ? stored.time() : arrival;
            if (!seeded) {
                seed(sourceArrival.isBefore(arrival) ? sourceArrival : arrival, arrival);
            }
            DuplicateFilter.Verdict verdict = duplicates.check(decoded.identity(), stored.origin(), sourceArrival);
            if (verdict == DuplicateFilter.Verdict.REPEAT) {
                status.duplicate();
                buffer.skip(position);
                continue;
            }
            if (verdict == DuplicateFilter.Verdict.LATE) {
                status.beyondDedupeHorizon();
            }
            buffer.add(line, arrival, position);
        }
        accounted = true; // every record of the batch is buffered, pending as a dead letter, or dropped as a repeat
        Long behind = input.millisBehindLatest();
        buffer.closeIfWindowOver(fetchedAt(input), behind != null && behind == 0);
        flush(input.checkpointer());
    }

    /**
     * Seeds the duplicate filter from the archive, measured from the replay position: the identities in this shard's
     * objects that precede its checkpoint (objects after it are being rebuilt now, identically, so they must not
     * count), and in its parent shards' objects (after a reshard), archived from the dedupe horizon before the first
     * record's source arrival up to its own arrival. Each identity is remembered at its source shard and time.
     */
    private void seed(Instant earliest, Instant firstArrival) {
        Instant until = firstArrival.truncatedTo(ChronoUnit.MINUTES);
        // an object's key has its oldest record's time: one holding records from `since` on may start a window earlier
        Instant since =
                settings.windowStart(earliest.truncatedTo(ChronoUnit.MINUTES).minus(dedupeHorizon));
        List<String> parents = leases().parents(shardId());
        record Seed(String key, Instant minute) {}
        List<Seed> seeds = new ArrayList<>();
        for (String prefix : keys.hourPrefixes(since, until)) {
            for (String key : whileOwner("listing " + prefix, () -> store.list(prefix))) {
                Instant time = seedTime(key, parents);
                if (time != null && !time.isBefore(since) && time.isBefore(until.plus(Duration.ofMinutes(1)))) {
                    seeds.add(new Seed(key, time.truncatedTo(ChronoUnit.MINUTES)));
                }
            }
        }
        seeds.sort(Comparator.comparing(Seed::minute));
        int identities = 0;
        for (Seed seed : seeds) {
            for (byte[] line : whileOwner("reading " + seed.key(), () -> storedLines(seed.key()))) {
                AnomalyLines.Stored stored = AnomalyLines.read(line);
                duplicates.remember(
                        stored.identity(), stored.origin(), stored.time() != null ? stored.time() : seed.minute());
                identities++;
            }
        }
        seeded = true;
        log.info(
                "Remembered {} anomalies of {} object(s) of {}{} archived from {} to {}",
                identities,
                seeds.size(),
                shardId(),
                parents.isEmpty() ? "" : " and its parents " + parents,
                since,
                until);
    }

    /**
     * The lines of an archive object, in the format its key names; none when it is of no format this archiver reads, or
     * not of the one its key names (another writer's object: nothing of it can be remembered, and it is left alone).
     */
    private List<byte[]> storedLines(String key) {
        LineFormat format = keys.formatOf(key);
        if (format == null) {
            return List.of();
        }
        try {
            return store.readLines(key, format);
        } catch (LineFormat.UnreadableObjectException e) {
            log.warn("Skipped {} when seeding the duplicate filter: {}", key, e.getMessage());
            return List.of();
        }
    }

    /** The time of an archive object to seed from, or null when it is not one (another shard, after the checkpoint). */
    private Instant seedTime(String key, List<String> parents) {
        Instant own = keys.timeOf(key, shardId());
        if (own != null) {
            return atOrBefore(keys.firstSequenceOf(key, shardId()), startPosition) ? own : null;
        }
        for (String parent : parents) {
            Instant time = keys.timeOf(key, parent);
            if (time != null) {
                return time;
            }
        }
        return null;
    }

    /** Writes the pending dead letters and every finished object, oldest first, and checkpoints after them. */
    private void flush(RecordProcessorCheckpointer checkpointer) {
        if (!pendingLetters.isEmpty()) {
            whileOwner("writing " + pendingLetters.size() + " dead letter(s)", () -> {
                deadLetters.write(shardId(), pendingLetters);
                return null;
            });
            pendingLetters.clear();
        }
        for (ArchiveObject object : buffer.ready()) {
            long start = System.nanoTime();
            whileOwner(
                    "writing " + object.key(),
                    () -> store.write(object.key(), object.lines(), keys.format(), AnomalyLines::identity));
            status.written(shardId(), object.key(), object.records(), System.nanoTime() - start);
            buffer.written(object);
        }
        report();
        RecordPosition position = buffer.checkpointable();
        if (position != null
                && !position.equals(checkpointed)
                && checkpoint(checkpointer, position.sequenceNumber(), position.subSequenceNumber())
                        == Checkpoints.Outcome.DONE) {
            checkpointed = position;
        }
    }

    /** An S3 call for this shard, retried while this processor owns it ({@link #handOn}). */
    private <T> T whileOwner(String what, Supplier<T> call) {
        T result = handOn("s3", what, call);
        status.succeeded(shardId());
        return result;
    }

    @Override
    protected void onHandOffFailure(String what, RuntimeException failure) {
        status.failed(shardId(), what, failure);
    }

    private void report() {
        status.buffered(shardId(), buffer.bufferedRecords(), buffer.bufferedBytes());
    }

    @Override
    protected boolean handOffPending(RecordProcessorCheckpointer checkpointer, boolean shardEnd) {
        buffer.closeAll();
        flush(checkpointer);
        return true;
    }

    /** A poison batch: every record to the dead letters with the failure, then checkpointed like any skipped record. */
    @Override
    protected boolean quarantine(ProcessRecordsInput input, String reason) {
        for (KinesisClientRecord record : input.records()) {
            pendingLetters.add(DeadLetter.of(record, shardId(), DeadLetter.POISON_BATCH, reason));
            buffer.skip(new RecordPosition(record.sequenceNumber(), record.subSequenceNumber()));
        }
        flush(input.checkpointer());
        return true;
    }

    /** A batch given up as the worker stops is finished by the last hand-off if all its records are held. */
    @Override
    protected boolean resumableAfterGiveUp() {
        return accounted;
    }

    /** The oldest buffered record: records dropped as repeats or dead-lettered are handed on already. */
    @Override
    protected Instant oldestUnhandled() {
        return buffer == null ? null : buffer.oldestArrival();
    }

    @Override
    protected void onStop() {
        status.shardGone(shardId());
    }

    /**
     * A record's arrival time; Kinesis always sets it, but should it be missing, the anomaly's detection time (or the
     * epoch) stands in, so that the record still lands in the same object on every replay.
     */
    private static Instant arrival(KinesisClientRecord record, AnomalyLine anomaly) {
        if (record.approximateArrivalTimestamp() != null) {
            return record.approximateArrivalTimestamp();
        }
        return anomaly.detectedAt() != null ? anomaly.detectedAt() : Instant.EPOCH;
    }

    /**
     * When the batch was read from the shard: with {@code millisBehindLatest} 0, no record of an earlier time can still
     * arrive. KCL prefetches, so a batch may be processed seconds after it was read; judged by the processing clock a
     * minute could close before its last records were read, and where an object ends would depend on timing. Polling
     * gives the read time (the cache entry time); without it (fan-out) the processing clock stands in.
     */
    private Instant fetchedAt(ProcessRecordsInput input) {
        return input.cacheEntryTime() != null ? input.cacheEntryTime() : clock.instant();
    }

    /** True when sequence number {@code a} is at or before {@code b}; false when either is not a sequence number. */
    static boolean atOrBefore(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        try {
            return new BigInteger(a).compareTo(new BigInteger(b)) <= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
