package io.tradeanomaly.archiver.partitioning;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Groups one shard's records into archive objects, purely (no AWS, no clock of its own). An object holds the records
 * that arrived (Kinesis approximate arrival time) within one window ({@link PartitionSettings#windowStart}: the buffer
 * interval, aligned to the UTC hour), in shard order, one per line; it is rolled when a record of a later window
 * arrives, when the next record would exceed the size bound, or when it reaches the record bound, both counted from the
 * object's first record. The wall clock may close a window only when the shard is caught up
 * ({@link #closeIfWindowOver}): then no record of that window can still arrive (arrival times do not go back by more
 * than the grace). Object boundaries thus depend only on the records, never on when a batch ended or how far
 * behind the consumer was, and a replay from any checkpoint rebuilds byte-identical objects under identical keys
 * (the Kafka Connect S3 sink's exactly-once rule: rotate on record time, never on the wall clock). {@link #closeAll}
 * (shutdown, shard end) is the one exception: the next owner starts after the object it wrote.
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
        Instant window = settings.windowStart(arrival);
        if (open != null && (!open.window.equals(window) || open.bytes + line.length + 1 > settings.maxObjectBytes())) {
            roll();
        }
        if (open == null) {
            open = new Open(window, arrival, position);
        } else if (arrival.isBefore(open.oldest)) {
            open.oldest = arrival; // arrival times are not strictly ordered; the key takes the oldest
        }
        open.lines.add(line);
        open.bytes += line.length + 1;
        open.last = position;
        bufferedBytes += line.length + 1;
        bufferedRecords++;
        if (open.lines.size() >= settings.maxObjectRecords()) {
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
            ready.addLast(new ArchiveObject(tail.key(), tail.lines(), tail.oldest(), position));
        } else {
            settled = position;
        }
    }

    /**
     * Rolls the open object if the shard is caught up (the consumer has read up to the stream's tip) and its window
     * ended more than the grace before {@code now}. Behind the tip the window is closed only by a later record.
     */
    public void closeIfWindowOver(Instant now, boolean caughtUp) {
        if (caughtUp
                && open != null
                && !now.isBefore(settings.windowEnd(open.window).plus(settings.grace()))) {
            roll();
        }
    }

    /** Rolls the open object whatever its window (graceful shutdown, shard end). */
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
        bufferedBytes -= object.bytes();
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

    /** Arrival time of the oldest record buffered and not yet written, null when nothing is. */
    public Instant oldestArrival() {
        Instant oldest = open == null ? null : open.oldest;
        for (ArchiveObject object : ready) {
            if (oldest == null || object.oldest().isBefore(oldest)) {
                oldest = object.oldest();
            }
        }
        return oldest;
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
        ready.addLast(new ArchiveObject(
                keys.objectKey(open.oldest, shardId, open.first), open.lines, open.oldest, open.last));
        open = null;
    }

    private static final class Open {
        final Instant window;
        Instant oldest;
        final RecordPosition first;
        final List<byte[]> lines = new ArrayList<>();
        long bytes;
        RecordPosition last;

        Open(Instant window, Instant oldest, RecordPosition first) {
            this.window = window;
            this.oldest = oldest;
            this.first = first;
        }
    }
}
