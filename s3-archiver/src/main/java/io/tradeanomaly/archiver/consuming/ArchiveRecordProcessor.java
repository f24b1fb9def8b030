package io.tradeanomaly.archiver.consuming;

import io.tradeanomaly.archiver.partitioning.ArchiveObject;
import io.tradeanomaly.archiver.partitioning.DuplicateFilter;
import io.tradeanomaly.archiver.partitioning.ObjectKeys;
import io.tradeanomaly.archiver.partitioning.PartitionSettings;
import io.tradeanomaly.archiver.partitioning.RecordPosition;
import io.tradeanomaly.archiver.partitioning.ShardBuffer;
import io.tradeanomaly.archiver.storage.ArchiveStatus;
import io.tradeanomaly.archiver.storage.ObjectStore;
import io.tradeanomaly.common.kcl.Checkpoints;
import io.tradeanomaly.common.kcl.LeaseView;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.common.kcl.ShardProcessorSupport;
import io.tradeanomaly.common.trade.Anomaly;
import io.tradeanomaly.common.trade.RecordCodec;
import io.tradeanomaly.common.trade.RecordRejectedException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * One shard of the archive: validates each anomaly, drops repeated trade ids, buffers the rest into minute objects
 * ({@link ShardBuffer}), writes finished objects to S3 oldest first and checkpoints only what S3 has accepted. While S3
 * fails it retries inside the batch, so KCL hands it no new records and memory stays bounded by one object per
 * shard plus the open minute. Records that are not valid anomalies are written under the error prefix with their
 * reason before the batch may be checkpointed.
 */
public class ArchiveRecordProcessor extends ShardProcessorSupport {

    private static final Logger log = LoggerFactory.getLogger(ArchiveRecordProcessor.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final RecordCodec codec;
    private final ObjectKeys keys;
    private final PartitionSettings settings;
    private final String errorPrefix;
    private final Duration dedupeHorizon;
    private final ObjectStore store;
    private final ArchiveStatus status;
    private final LeaseView leases;
    private final Clock clock;
    private ShardBuffer buffer;
    private DuplicateFilter duplicates;
    private RecordPosition checkpointed;
    private boolean gaveUp;

    public ArchiveRecordProcessor(
            ShardLagMetrics lag,
            RecordCodec codec,
            ObjectKeys keys,
            PartitionSettings settings,
            String errorPrefix,
            Duration dedupeHorizon,
            ObjectStore store,
            ArchiveStatus status,
            LeaseView leases,
            Clock clock) {
        super(lag);
        this.codec = codec;
        this.keys = keys;
        this.settings = settings;
        this.errorPrefix = errorPrefix;
        this.dedupeHorizon = dedupeHorizon;
        this.store = store;
        this.status = status;
        this.leases = leases;
        this.clock = clock;
    }

    @Override
    protected void onStart(InitializationInput input) {
        buffer = new ShardBuffer(shardId(), keys, settings);
        duplicates = new DuplicateFilter(dedupeHorizon);
        rememberRecentlyArchived();
    }

    /**
     * Seeds the duplicate filter with the trade ids of this shard's objects written within the dedupe horizon, so that
     * after a restart a replayed record already in the archive, or an id the detector republished, is not written
     * again. Best effort: if S3 cannot be read now, the filter starts empty (and says so).
     */
    private void rememberRecentlyArchived() {
        Instant now = clock.instant();
        Instant since = now.minus(dedupeHorizon);
        int ids = 0;
        try {
            for (String prefix : keys.hourPrefixes(since, now)) {
                for (String key : store.list(prefix)) {
                    Instant time = keys.timeOf(key, shardId());
                    if (time == null || time.isBefore(since)) {
                        continue;
                    }
                    for (String line : new String(store.get(key), StandardCharsets.UTF_8).split("\n")) {
                        if (!line.isBlank()) {
                            duplicates.firstSeen(
                                    codec.decodeAnomaly(line.getBytes(StandardCharsets.UTF_8))
                                            .id(),
                                    time);
                            ids++;
                        }
                    }
                }
            }
            log.info("Remembered {} trade ids archived from {} in the last {}", ids, shardId(), dedupeHorizon);
        } catch (RuntimeException e) {
            log.warn(
                    "Could not read the recent archive of {} ({}); duplicates of it are not dropped this time",
                    shardId(),
                    e.toString());
        }
    }

    @Override
    protected void process(ProcessRecordsInput input) {
        if (gaveUp) {
            return; // a write was given up on (lease lost): nothing later may be checkpointed
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        KinesisClientRecord firstError = null;
        for (KinesisClientRecord record : input.records()) {
            RecordPosition position = new RecordPosition(record.sequenceNumber(), record.subSequenceNumber());
            Instant arrival = Objects.requireNonNullElse(record.approximateArrivalTimestamp(), clock.instant());
            byte[] data = bytes(record.data());
            Anomaly anomaly;
            try {
                anomaly = codec.decodeAnomaly(data);
            } catch (RecordRejectedException e) {
                status.rejected(e.reason());
                errors.writeBytes(codec.encodeValue(errorLine(record, data, e)));
                errors.write('\n');
                firstError = firstError == null ? record : firstError;
                buffer.skip(position);
                continue;
            }
            if (!duplicates.firstSeen(anomaly.id(), arrival)) {
                status.duplicate();
                buffer.skip(position);
                continue;
            }
            buffer.add(codec.toSingleLine(data), arrival, position);
        }
        if (firstError != null && !writeErrors(firstError, errors.toByteArray())) {
            giveUp();
            return;
        }
        buffer.closeExpired(clock.instant());
        if (!flush(input.checkpointer())) {
            giveUp();
        }
    }

    /** Writes every finished object, oldest first, checkpointing after each; false if the lease went meanwhile. */
    private boolean flush(RecordProcessorCheckpointer checkpointer) {
        for (ArchiveObject object : buffer.ready()) {
            if (!write(object.key(), object.body(), object.records())) {
                return false;
            }
            buffer.written(object);
        }
        report();
        RecordPosition position = buffer.checkpointable();
        if (position != null && !position.equals(checkpointed)) {
            Checkpoints.Outcome outcome =
                    Checkpoints.checkpoint(checkpointer, position.sequenceNumber(), position.subSequenceNumber());
            if (outcome == Checkpoints.Outcome.DONE) {
                checkpointed = position;
            }
        }
        return true;
    }

    private boolean writeErrors(KinesisClientRecord first, byte[] lines) {
        Instant arrival = Objects.requireNonNullElse(first.approximateArrivalTimestamp(), clock.instant());
        return write(keys.errorKey(errorPrefix, arrival, shardId(), first.sequenceNumber()), lines, 0);
    }

    /** Writes one object, retrying with backoff while this worker owns the shard (the first attempt always runs). */
    private boolean write(String key, byte[] body, int records) {
        long backoff = 200;
        for (int attempt = 1; ; attempt++) {
            long start = System.nanoTime();
            try {
                store.put(key, body, records > 0 && keys.gzip());
                status.written(key, records, System.nanoTime() - start);
                return true;
            } catch (RuntimeException e) {
                status.failed(key, e);
                if (!leases.holds(shardId())) {
                    return false;
                }
                log.warn("Writing {} failed (attempt {}), retrying in {} ms: {}", key, attempt, backoff, e.toString());
                try {
                    Thread.sleep(backoff); // backoff while S3 is unavailable; KCL holds the records meanwhile
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                backoff = Math.min(MAX_BACKOFF.toMillis(), backoff * 2);
            }
        }
    }

    private void giveUp() {
        gaveUp = true;
        log.warn("Gave up writing to S3 (lease lost or shutting down); the next owner replays from the checkpoint");
    }

    private void report() {
        status.buffered(shardId(), buffer.bufferedRecords(), buffer.bufferedBytes());
    }

    @Override
    protected boolean handOffPending(RecordProcessorCheckpointer checkpointer) {
        if (gaveUp) {
            return false;
        }
        buffer.closeAll();
        if (!flush(checkpointer)) {
            giveUp();
            return false;
        }
        return true;
    }

    @Override
    protected void onStop() {
        status.shardGone(shardId());
    }

    private Map<String, Object> errorLine(KinesisClientRecord record, byte[] data, RecordRejectedException e) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("reason", e.reason().tag());
        line.put("message", e.getMessage());
        line.put("shardId", shardId());
        line.put("sequenceNumber", record.sequenceNumber());
        line.put("partitionKey", record.partitionKey());
        line.put("approximateArrivalTimestamp", String.valueOf(record.approximateArrivalTimestamp()));
        try {
            line.put(
                    "data",
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .decode(ByteBuffer.wrap(data))
                            .toString());
            line.put("dataEncoding", "utf-8");
        } catch (CharacterCodingException notText) {
            line.put("data", Base64.getEncoder().encodeToString(data));
            line.put("dataEncoding", "base64");
        }
        return line;
    }

    private static byte[] bytes(ByteBuffer data) {
        ByteBuffer copy = data.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
