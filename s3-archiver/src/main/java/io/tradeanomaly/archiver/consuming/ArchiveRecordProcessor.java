package io.tradeanomaly.archiver.consuming;

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
import io.tradeanomaly.common.kcl.ShardGivenUpException;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.common.kcl.ShardProcessorSupport;
import io.tradeanomaly.common.record.AnomalyLine;
import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.common.record.RecordRejectedException;
import io.tradeanomaly.common.retry.Backoff;
import io.tradeanomaly.common.retry.Retries;
import io.tradeanomaly.common.s3.LineMerge;
import io.tradeanomaly.common.s3.NdjsonStore;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * One shard of the archive: validates each anomaly and stores it as one canonical UTF-8 line, drops repeated anomaly
 * identities (the trade's shard and sequence number on the trades stream), buffers the rest into minute objects whose
 * boundaries depend only on the records ({@link ShardBuffer}), writes finished objects to S3 oldest first and
 * checkpoints only what S3 has accepted. Every write is made only while this processor owns the shard, and is merged
 * with what the object already holds ({@link NdjsonStore}), so a stale owner can never shorten an object. While S3
 * fails it retries inside the batch, so KCL hands it no new records and memory stays bounded by one open minute and
 * its finished objects. Records that are not valid anomalies are dead-lettered under the error prefix before the batch
 * may be checkpointed.
 */
public class ArchiveRecordProcessor extends ShardProcessorSupport {

    private static final Logger log = LoggerFactory.getLogger(ArchiveRecordProcessor.class);
    private static final Backoff RETRY = Backoff.untilStopped(Duration.ofMillis(200), Duration.ofSeconds(10));
    /** How long the last hand-off (shutdown, shard end) may retry its writes: below KCL's shutdown bound. */
    private static final Duration FINAL_HAND_OFF = Duration.ofSeconds(15);

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
    /** Set while the last hand-off runs: KCL has just given this processor the shard's lease to finish with. */
    private Instant finalDeadline;

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
        List<DeadLetter> rejected = new ArrayList<>();
        for (KinesisClientRecord record : input.records()) {
            RecordPosition position = new RecordPosition(record.sequenceNumber(), record.subSequenceNumber());
            AnomalyLine decoded;
            try {
                decoded = AnomalyLine.decode(JsonRecords.bytes(record.data()), maxRecordBytes);
            } catch (RecordRejectedException e) {
                status.rejected(e.reason());
                rejected.add(DeadLetter.of(record, shardId(), e));
                buffer.skip(position);
                continue;
            }
            Instant arrival = arrival(record, decoded);
            if (!seeded) {
                seed(arrival);
            }
            if (!duplicates.firstSeen(decoded.identity(), arrival)) {
                status.duplicate();
                buffer.skip(position);
                continue;
            }
            buffer.add(decoded.line(), arrival, position);
        }
        if (!rejected.isEmpty()) {
            whileOwner("writing " + rejected.size() + " dead letter(s)", () -> {
                deadLetters.write(shardId(), rejected);
                return null;
            });
        }
        Long behind = input.millisBehindLatest();
        buffer.closeIfMinuteOver(clock.instant(), behind != null && behind == 0);
        flush(input.checkpointer());
    }

    /**
     * Seeds the duplicate filter from the archive, measured from the replay position: the identities in this shard's
     * objects that precede its checkpoint (objects after it are being rebuilt now, identically, so they must not
     * count), and in its parent shards' objects (after a reshard), within the dedupe horizon before the first record.
     */
    private void seed(Instant firstArrival) {
        seeded = true;
        Instant until = firstArrival.truncatedTo(ChronoUnit.MINUTES);
        Instant since = until.minus(dedupeHorizon);
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
            byte[] content = whileOwner("reading " + seed.key(), () -> store.read(seed.key()));
            for (byte[] line : LineMerge.lines(content)) {
                duplicates.remember(identity(line), seed.minute());
                identities++;
            }
        }
        log.info(
                "Remembered {} anomalies of {} object(s) of {}{} archived in the {} before {}",
                identities,
                seeds.size(),
                shardId(),
                parents.isEmpty() ? "" : " and its parents " + parents,
                dedupeHorizon,
                until);
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

    /** Writes every finished object, oldest first, and checkpoints after them. */
    private void flush(RecordProcessorCheckpointer checkpointer) {
        for (ArchiveObject object : buffer.ready()) {
            long start = System.nanoTime();
            whileOwner(
                    "writing " + object.key(),
                    () -> store.write(object.key(), object.lines(), keys.gzip(), this::identity));
            status.written(object.key(), object.records(), System.nanoTime() - start);
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

    /**
     * Runs an S3 call for this shard, retrying with backoff while the processor owns it; ownership is checked before
     * the first attempt too. When the shard is no longer ours the batch is given up (no checkpoint; the next owner
     * replays). During the last hand-off (graceful shutdown, shard end), when the worker is stopping but KCL has just
     * handed this processor the shard to finish with, the call is retried until {@link #FINAL_HAND_OFF} instead.
     */
    private <T> T whileOwner(String what, Supplier<T> call) {
        Instant deadline = finalDeadline;
        BooleanSupplier keepTrying =
                deadline == null ? this::stillOwner : () -> clock.instant().isBefore(deadline);
        if (!keepTrying.getAsBoolean()) {
            throw new ShardGivenUpException("no longer the owner of " + shardId() + " before " + what);
        }
        try {
            return Retries.call(what, RETRY, keepTrying, e -> e instanceof RuntimeException, () -> {
                try {
                    return call.get();
                } catch (RuntimeException e) {
                    status.failed(what, e);
                    throw e;
                }
            });
        } catch (Retries.GaveUpException e) {
            throw new ShardGivenUpException("gave up " + what + " (" + e.reason() + ")");
        }
    }

    private String identity(byte[] line) {
        return AnomalyLine.decode(line, Integer.MAX_VALUE).identity();
    }

    private void report() {
        status.buffered(shardId(), buffer.bufferedRecords(), buffer.bufferedBytes());
    }

    @Override
    protected boolean handOffPending(RecordProcessorCheckpointer checkpointer, boolean shardEnd) {
        finalDeadline = clock.instant().plus(FINAL_HAND_OFF);
        try {
            buffer.closeAll();
            flush(checkpointer);
            return true;
        } finally {
            finalDeadline = null;
        }
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
