package io.tradeanomaly.archiver.partitioning;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Groups one shard's records into archive objects, purely (no AWS, no clock of its own). An object holds the records
 * that arrived (Kinesis approximate arrival time) within one UTC minute, in shard order, one per line; it is rolled
 * when a record of a later minute arrives, when the next record would exceed the size bound, when it reaches the record
 * bound, or — told the time by {@link #closeExpired} — when its minute is over plus a grace. Object boundaries thus
 * depend only on the records, never on when a flush ran, and a replay after a crash rebuilds the very same objects
 * under the very same keys. {@link #closeAll} (shutdown, shard end) is the one exception.
 *
 * <p>It also knows how far the shard may be checkpointed: up to the last record of the oldest object not yet written,
 * exclusive, including records that needed no object (duplicates, dead letters) in between. Not thread-safe.
 */
public final class ShardBuffer {

    private final String shardId;
    private final ObjectKeys keys;
    private final PartitionSettings settings;
    private final Deque<ArchiveObject> ready = new ArrayDeque<>();
    private Open open;
    private long bufferedBytes;
    private int bufferedRecords;
    /** Latest position that is durable with nothing unwritten before it (used when no object is pending). */
    private RecordPosition settled;

    public ShardBuffer(String shardId, ObjectKeys keys, PartitionSettings settings) {
        this.shardId = shardId;
        this.keys = keys;
        this.settings = settings;
    }

    /** Adds one record (a single line of JSON, without the newline); may roll the open object. */
    public void add(byte[] line, Instant arrival, RecordPosition position) {
        Instant minute = arrival.truncatedTo(ChronoUnit.MINUTES);
        if (open != null
                && (!open.minute.equals(minute) || open.bytes.size() + line.length + 1 > settings.maxObjectBytes())) {
            roll();
        }
        if (open == null) {
            open = new Open(minute, arrival, position);
        } else if (arrival.isBefore(open.oldest)) {
            open.oldest = arrival; // arrival times are not strictly ordered; the key takes the oldest
        }
        open.bytes.write(line, 0, line.length);
        open.bytes.write('\n');
        open.records++;
        open.last = position;
        bufferedBytes += line.length + 1;
        bufferedRecords++;
        if (open.records >= settings.maxObjectRecords()) {
            roll();
        }
    }

    /**
     * Notes a record that needs no object (dropped as a duplicate, or already written as a dead letter): it may be
     * checkpointed together with whatever precedes it.
     */
    public void skip(RecordPosition position) {
        if (open != null) {
            open.last = position;
        } else if (!ready.isEmpty()) {
            ArchiveObject tail = ready.removeLast();
            ready.addLast(new ArchiveObject(tail.key(), tail.body(), tail.records(), tail.oldest(), position));
        } else {
            settled = position;
        }
    }

    /** Rolls the open object if its minute ended more than the grace before {@code now}. */
    public void closeExpired(Instant now) {
        if (open != null
                && !now.isBefore(open.minute.plus(1, ChronoUnit.MINUTES).plus(settings.grace()))) {
            roll();
        }
    }

    /** Rolls the open object whatever its minute (graceful shutdown, shard end). */
    public void closeAll() {
        if (open != null) {
            roll();
        }
    }

    /** Objects finished and not yet written, oldest first. */
    public List<ArchiveObject> ready() {
        return new ArrayList<>(ready);
    }

    /** Marks the oldest ready object as written. */
    public void written(ArchiveObject object) {
        ArchiveObject oldest = ready.peekFirst();
        if (oldest == null || !oldest.key().equals(object.key())) {
            throw new IllegalStateException("objects must be written oldest first: " + object.key());
        }
        ready.removeFirst();
        bufferedBytes -= object.body().length;
        bufferedRecords -= object.records();
        settled = object.checkpoint();
    }

    /**
     * The position the shard may be checkpointed at now: the last position covered by written objects and skipped
     * records, with nothing unwritten before it; null when there is none yet.
     */
    public RecordPosition checkpointable() {
        return settled;
    }

    public int bufferedRecords() {
        return bufferedRecords;
    }

    public long bufferedBytes() {
        return bufferedBytes;
    }

    public boolean isEmpty() {
        return open == null && ready.isEmpty();
    }

    private void roll() {
        byte[] body = open.bytes.toByteArray();
        byte[] stored = keys.gzip() ? gzip(body) : body;
        bufferedBytes += stored.length - body.length;
        ready.addLast(new ArchiveObject(
                keys.objectKey(open.oldest, shardId, open.first.sequenceNumber()),
                stored,
                open.records,
                open.oldest,
                open.last));
        open = null;
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static final class Open {
        final Instant minute;
        Instant oldest;
        final RecordPosition first;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        RecordPosition last;
        int records;

        Open(Instant minute, Instant oldest, RecordPosition first) {
            this.minute = minute;
            this.oldest = oldest;
            this.first = first;
        }
    }
}
