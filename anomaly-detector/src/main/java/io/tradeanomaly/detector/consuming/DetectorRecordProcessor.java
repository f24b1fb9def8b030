package io.tradeanomaly.detector.consuming;

import io.tradeanomaly.common.deadletter.DeadLetter;
import io.tradeanomaly.common.kcl.Checkpoints;
import io.tradeanomaly.common.kcl.LeaseView;
import io.tradeanomaly.common.kcl.ShardGivenUpException;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.common.kcl.ShardProcessorSupport;
import io.tradeanomaly.common.record.Anomaly;
import io.tradeanomaly.common.record.AnomalyLayout;
import io.tradeanomaly.common.record.InputRecord;
import io.tradeanomaly.common.record.InputSchema;
import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.common.record.RecordRejectedException;
import io.tradeanomaly.common.retry.Retries;
import io.tradeanomaly.detector.deadletter.DeadLetterSink;
import io.tradeanomaly.detector.publishing.AnomalyPublisher;
import io.tradeanomaly.detector.scoring.RecordScorer;
import io.tradeanomaly.detector.scoring.Verdict;
import io.tradeanomaly.detector.web.RecentAnomalies;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * One shard's detector: decode each record by the configured schema, store the bad ones as dead letters with their
 * reason, score every good one (score first, then learn), publish the anomalies ordered as KDA's query ordered them
 * (per arrival second, by score descending), and checkpoint only what all of that made durable. Dead letters go first:
 * a batch given up while they cannot be stored has published nothing, so its replay publishes once.
 *
 * <p>A batch is scored in chunks that fit this shard's share of the model budget ({@link RecordScorer#chunkEnd}); a
 * batch with fewer keys than the share is one chunk. Before a chunk is scored the least recently used models are
 * evicted to make room for its keys, and after it is published it is checkpointed, so that the models held never
 * exceed the share, even for a batch of 1,500 new keys after a reshard, while every eviction still happens where the
 * models have seen exactly the checkpointed records. Records stay in shard order, so each key's records are scored in
 * order, once.
 *
 * <p>Every hand-off (dead letters, publish) goes through the owner-bounded {@link #handOn}: retried while this
 * processor owns the shard; when it does not, the batch is given up without a checkpoint and the next owner replays.
 * When the worker begins to stop gracefully, the batch keeps what it got to (letters stored, chunk scored, anomalies
 * still unsent) and the last hand-off ({@link #handOffPending}) finishes it and checkpoints it, within its bound,
 * instead of leaving it to a replay. Any other failure is handled once, by {@link ShardProcessorSupport}.
 *
 * <p>Models are snapshotted only where they have seen exactly the records up to the last checkpoint (right after a
 * checkpoint, before the next chunk is learnt), so a snapshot is never ahead of its checkpoint; at shard end and on
 * shutdown the snapshots are stored before the final checkpoint, which is skipped if they cannot be.
 */
public class DetectorRecordProcessor extends ShardProcessorSupport {

    private static final Logger log = LoggerFactory.getLogger(DetectorRecordProcessor.class);

    /** Creates the scorer of a shard. */
    @FunctionalInterface
    public interface ScorerFactory {
        /**
         * @param shardId the shard
         * @param keepTrying whether records may still be handed on for the shard (snapshot reads and writes retry
         *     while they may)
         * @param startPosition the checkpoint processing starts from, null when there is none
         */
        RecordScorer create(String shardId, BooleanSupplier keepTrying, String startPosition);
    }

    /**
     * What the records are and how anomalies are written.
     *
     * @param schema the input records' key, features and time
     * @param layout the anomaly records' layout
     * @param maxRecordBytes records larger than this are dead-lettered
     */
    public record Format(InputSchema schema, AnomalyLayout layout, int maxRecordBytes) {}

    /**
     * When models are snapshotted.
     *
     * @param interval how often the changed models are snapshotted (after a checkpoint)
     * @param periodicTimeout how long a periodic snapshot may retry its writes
     * @param finalTimeout how long the snapshot at shard end or shutdown may retry (below KCL's shutdown timeout)
     */
    public record SnapshotTiming(Duration interval, Duration periodicTimeout, Duration finalTimeout) {}

    /** A record's position in the shard (the user records of a KPL aggregate share a sequence number). */
    private record Position(String sequenceNumber, long subSequenceNumber) {
        static Position of(KinesisClientRecord record) {
            return new Position(record.sequenceNumber(), record.subSequenceNumber());
        }
    }

    private final Format format;
    private final ScorerFactory scorers;
    private final SnapshotTiming snapshots;
    private final AnomalyPublisher publisher;
    private final DeadLetterSink deadLetters;
    private final RecentAnomalies recent;
    private final DetectorMetrics metrics;
    private final Clock clock;
    /** Batches received and not yet handed on, oldest first (more than one only after a graceful stop began). */
    private final Deque<Batch> pending = new ArrayDeque<>();

    private RecordScorer scorer;
    private Instant lastSnapshot;
    /** The last record learnt by the models (they have seen every record up to it they ever will). */
    private Position learnt;
    /** The last record checkpointed. */
    private Position checkpointed;

    public DetectorRecordProcessor(
            ShardLagMetrics lag,
            LeaseView leases,
            Format format,
            ScorerFactory scorers,
            SnapshotTiming snapshots,
            AnomalyPublisher publisher,
            DeadLetterSink deadLetters,
            RecentAnomalies recent,
            DetectorMetrics metrics,
            Clock clock) {
        super(lag, leases);
        this.format = format;
        this.scorers = scorers;
        this.snapshots = snapshots;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.recent = recent;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    protected void onStart(InitializationInput input) {
        String start = input.extendedSequenceNumber() == null
                ? null
                : input.extendedSequenceNumber().sequenceNumber();
        scorer = scorers.create(shardId(), this::mayHandOn, start);
        lastSnapshot = clock.instant();
    }

    @Override
    protected void process(ProcessRecordsInput input) {
        if (input.records().isEmpty()) {
            if (pending.isEmpty()) {
                snapshotIfDue(); // idle shards too: KCL calls with empty batches
            }
            return;
        }
        pending.addLast(decode(input.records()));
        handOnPending(input.checkpointer());
    }

    private Batch decode(List<KinesisClientRecord> records) {
        List<InputRecord> decoded = new ArrayList<>(records.size());
        List<DeadLetter> rejected = new ArrayList<>();
        for (KinesisClientRecord record : records) {
            try {
                InputRecord good = format.schema().decode(JsonRecords.bytes(record.data()), format.maxRecordBytes());
                scorer.check(good);
                decoded.add(good);
            } catch (RecordRejectedException e) {
                metrics.rejected(e.reason());
                rejected.add(DeadLetter.of(record, shardId(), e));
                decoded.add(null);
            }
        }
        return new Batch(records, decoded, rejected);
    }

    /** Hands on every batch received and not yet handed on, oldest first. */
    private void handOnPending(RecordProcessorCheckpointer checkpointer) {
        while (!pending.isEmpty()) {
            Batch batch = pending.peekFirst();
            handOn(batch, checkpointer);
            pending.removeFirst();
            metrics.batches().record(System.nanoTime() - batch.startNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Hands a batch on from where it got to: its dead letters, then chunk by chunk scored, published, checkpointed. */
    private void handOn(Batch batch, RecordProcessorCheckpointer checkpointer) {
        if (!batch.lettersStored) {
            if (!batch.letters.isEmpty()) {
                handOn("dead-letters", "writing " + batch.letters.size() + " dead letter(s)", () -> {
                    deadLetters.write(shardId(), batch.letters);
                    return null;
                });
            }
            batch.lettersStored = true;
        }
        while (!batch.done()) {
            if (batch.scored == null) {
                batch.scored(score(batch, checkpointer));
            }
            publish(batch);
            Batch.Chunk chunk = batch.scored;
            recent.addAll(chunk.anomalies());
            metrics.published(chunk.anomalies());
            count(chunk.good(), chunk.verdicts());
            batch.handedOn();
            Position last = Position.of(batch.records.get(chunk.end() - 1));
            Checkpoints.Outcome outcome = checkpoint(checkpointer, last.sequenceNumber(), last.subSequenceNumber());
            if (outcome == Checkpoints.Outcome.DONE) {
                checkpointed = last;
                snapshotIfDue(); // the models have seen exactly the checkpointed records
            } else if (outcome != Checkpoints.Outcome.FAILED) {
                throw new ShardGivenUpException("the checkpoint after " + last + " was refused (lease lost)");
            }
        }
    }

    /**
     * Scores the batch's next chunk: as many records as fit the model share, after making room for their models. The
     * models learn it: from here on it must be handed on or the shard replayed.
     */
    private Batch.Chunk score(Batch batch, RecordProcessorCheckpointer checkpointer) {
        int end = scorer.chunkEnd(batch.keys(), batch.next);
        List<InputRecord> good = new ArrayList<>(end - batch.next);
        List<KinesisClientRecord> goodRecords = new ArrayList<>(end - batch.next);
        for (int i = batch.next; i < end; i++) {
            if (batch.decoded.get(i) != null) {
                good.add(batch.decoded.get(i));
                goodRecords.add(batch.records.get(i));
            }
        }
        makeRoom(scorer.modelKeys(good), checkpointer);
        long[] times = new long[good.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = timeOf(good.get(i), goodRecords.get(i));
        }
        List<Verdict> verdicts;
        try {
            verdicts = good.isEmpty() ? List.of() : scorer.score(good, times);
        } catch (Retries.GaveUpException e) {
            if (e.reason() == Retries.Reason.STOPPED) {
                // a snapshot read, before any model learnt the chunk: the chunk can be scored again
                throw new ShardGivenUpException("gave up reading model snapshots (" + e.getMessage() + ")");
            }
            throw e;
        }
        learnt = Position.of(batch.records.get(end - 1)); // the models have learnt the chunk
        Instant detectedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Anomaly> anomalies = new ArrayList<>();
        for (int i = 0; i < good.size(); i++) {
            Verdict verdict = verdicts.get(i);
            if (verdict.anomaly()) {
                anomalies.add(format.layout()
                        .anomaly(
                                good.get(i),
                                verdict.score(),
                                verdict.explanation(),
                                detectedAt,
                                source(goodRecords.get(i))));
            }
        }
        anomalies.sort(KDA_ORDER);
        return new Batch.Chunk(end, good, verdicts, anomalies);
    }

    /**
     * Evicts models so that those held and those of the keys fit the share. Evictions snapshot the models, so they
     * must have seen exactly the checkpointed records: if the last checkpoint failed, it is written now, else the
     * shard is released for a replay (memory stays bounded either way).
     */
    private void makeRoom(Collection<String> keys, RecordProcessorCheckpointer checkpointer) {
        if (!scorer.models().needsRoom(keys)) {
            return;
        }
        if (!checkpointLearnt(checkpointer)) {
            throw new IllegalStateException(
                    "models must be evicted to stay within the budget, and the checkpoint they have seen up to ("
                            + learnt + ") could not be written");
        }
        scorer.models().makeRoom(keys, checkpointed == null ? null : checkpointed.sequenceNumber());
    }

    /**
     * Makes the checkpoint what the models have learnt, if the last chunk's checkpoint failed, so that models may be
     * snapshotted or evicted at it.
     *
     * @return whether the checkpoint is now the last record learnt (also when nothing was learnt)
     */
    private boolean checkpointLearnt(RecordProcessorCheckpointer checkpointer) {
        if (learnt == null || learnt.equals(checkpointed)) {
            return true;
        }
        if (checkpoint(checkpointer, learnt.sequenceNumber(), learnt.subSequenceNumber()) != Checkpoints.Outcome.DONE) {
            return false;
        }
        checkpointed = learnt;
        return true;
    }

    /** Publishes the scored chunk's anomalies not yet accepted, retrying those refused while the shard is ours. */
    private void publish(Batch batch) {
        if (batch.unsent.isEmpty()) {
            return;
        }
        int all = batch.scored.anomalies().size();
        handOn("publish", "publishing " + all + " anomalies", () -> {
            batch.unsent = publisher.publish(batch.unsent);
            if (!batch.unsent.isEmpty()) {
                throw new IllegalStateException(
                        batch.unsent.size() + " of " + all + " anomalies not accepted by the anomalies stream");
            }
            return null;
        });
    }

    /**
     * KDA's {@code ORDER BY FLOOR(ROWTIME TO SECOND), ANOMALY_SCORE DESC}, ROWTIME being the record's arrival. The
     * order holds within a batch; see docs/detector.md, "Order".
     */
    static final Comparator<Anomaly> KDA_ORDER = Comparator.comparingLong(
                    (Anomaly a) -> a.arrivalTime() == null ? 0 : a.arrivalTime().getEpochSecond())
            .thenComparing(Anomaly::anomalyScore, Comparator.reverseOrder());

    private void count(List<InputRecord> records, List<Verdict> verdicts) {
        for (int i = 0; i < records.size(); i++) {
            InputRecord record = records.get(i);
            Verdict verdict = verdicts.get(i);
            metrics.scored(verdict.score(), verdict.warmingUp(), verdict.anomaly());
            if (record.label() != null && !verdict.warmingUp()) {
                metrics.labelled(verdict.anomaly(), record.isLabelled());
            }
        }
    }

    /** A record's time for its model: its event time, or its arrival on the stream. */
    private static long timeOf(InputRecord record, KinesisClientRecord kinesis) {
        if (record.time() != null) {
            return record.time().toEpochMilli();
        }
        Instant arrival = kinesis.approximateArrivalTimestamp();
        return arrival == null ? 0 : arrival.toEpochMilli();
    }

    /** Where a record was read from; its sub-sequence number only when it came out of a KPL aggregate. */
    private Anomaly.Source source(KinesisClientRecord record) {
        return new Anomaly.Source(
                shardId(),
                record.sequenceNumber(),
                record.aggregated() ? record.subSequenceNumber() : null,
                record.approximateArrivalTimestamp());
    }

    /** Snapshots the changed models when the interval is over, if they have seen exactly the checkpointed records. */
    private void snapshotIfDue() {
        if (checkpointed != null
                && checkpointed.equals(learnt)
                && !clock.instant().isBefore(lastSnapshot.plus(snapshots.interval()))) {
            scorer.models().snapshot(checkpointed.sequenceNumber(), snapshots.periodicTimeout());
            lastSnapshot = clock.instant();
        }
    }

    /**
     * A poison batch: every record to the dead letters with the failure, none scored or learnt, then checkpointed (the
     * models have seen every record up to the checkpoint that they ever will).
     */
    @Override
    protected boolean quarantine(ProcessRecordsInput input, String reason) {
        List<DeadLetter> letters = new ArrayList<>();
        List<InputRecord> none = new ArrayList<>();
        for (KinesisClientRecord record : input.records()) {
            letters.add(DeadLetter.of(record, shardId(), DeadLetter.POISON_BATCH, reason));
            none.add(null);
        }
        pending.addLast(new Batch(input.records(), none, letters));
        handOnPending(input.checkpointer());
        return true;
    }

    /** A batch given up because the worker began to stop is still held, as far as it got: the last hand-off ends it. */
    @Override
    protected boolean resumableAfterGiveUp() {
        return !pending.isEmpty();
    }

    @Override
    protected boolean handOffPending(RecordProcessorCheckpointer checkpointer, boolean shardEnd) {
        handOnPending(checkpointer); // a batch a graceful stop interrupted: handed on and checkpointed now
        if (scorer == null || learnt == null) {
            return true; // nothing learnt: nothing to store
        }
        if (!checkpointLearnt(checkpointer)) {
            return false; // the snapshots must match the checkpoint
        }
        boolean stored = scorer.models().finalSnapshot(checkpointed.sequenceNumber(), snapshots.finalTimeout());
        if (!stored) {
            log.warn(
                    "Some model snapshots could not be stored; {}",
                    shardEnd
                            ? "not checkpointing SHARD_END, so that the children wait for them (KCL retries)"
                            : "their models resume from their last stored snapshots");
        }
        return stored;
    }

    @Override
    protected void onLeaseLost() {
        pending.clear(); // the next owner replays them
    }

    @Override
    protected void onStop() {
        pending.clear();
        if (scorer != null) {
            scorer.models().close();
        }
    }
}
