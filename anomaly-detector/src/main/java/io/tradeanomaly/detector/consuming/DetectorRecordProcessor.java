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
import io.tradeanomaly.detector.deadletter.DeadLetterSink;
import io.tradeanomaly.detector.publishing.AnomalyPublisher;
import io.tradeanomaly.detector.scoring.RecordScorer;
import io.tradeanomaly.detector.scoring.Verdict;
import io.tradeanomaly.detector.web.RecentAnomalies;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
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
 * One shard's detector: decode each record by the configured schema, score every good one (score first, then learn),
 * publish the anomalies ordered as KDA's query ordered them (per arrival second, by score descending), dead-letter the
 * bad records with their reason,
 * and checkpoint the batch only when all of that is durable. While the hand-off keeps failing it retries, as long as
 * this processor still owns the shard; when it does not, it gives the shard up without checkpointing and the next
 * owner replays. Any other failure is handled once, by {@link ShardProcessorSupport}.
 *
 * <p>Models are snapshotted only where they have seen exactly the records up to the last checkpoint (right after a
 * checkpoint, before the next batch is learnt), so a snapshot is never ahead of its checkpoint; at shard end and on
 * shutdown the snapshots are stored before the final checkpoint, which is skipped if they cannot be.
 */
public class DetectorRecordProcessor extends ShardProcessorSupport {

    private static final Logger log = LoggerFactory.getLogger(DetectorRecordProcessor.class);

    /** Creates the scorer of a shard. */
    @FunctionalInterface
    public interface ScorerFactory {
        /**
         * @param shardId the shard
         * @param keepTrying whether the shard is still the processor's (snapshot reads and writes retry while it is)
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

    private final Format format;
    private final ScorerFactory scorers;
    private final SnapshotTiming snapshots;
    private final AnomalyPublisher publisher;
    private final DeadLetterSink deadLetters;
    private final RecentAnomalies recent;
    private final DetectorMetrics metrics;
    private final Clock clock;
    private RecordScorer scorer;
    private Instant lastSnapshot;
    /** The last record learnt by the models. */
    private String lastPosition;

    private long lastSubPosition;
    /** The last record checkpointed. */
    private String checkpointed;

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
        scorer = scorers.create(shardId(), this::stillOwner, start);
        lastSnapshot = clock.instant();
    }

    @Override
    protected void process(ProcessRecordsInput input) {
        List<KinesisClientRecord> records = input.records();
        if (records.isEmpty()) {
            snapshotIfDue(); // idle shards too: KCL calls with empty batches
            return;
        }
        long start = System.nanoTime();
        List<InputRecord> good = new ArrayList<>(records.size());
        List<KinesisClientRecord> goodRecords = new ArrayList<>(records.size());
        List<DeadLetter> rejected = new ArrayList<>();
        for (KinesisClientRecord record : records) {
            try {
                InputRecord decoded = format.schema().decode(JsonRecords.bytes(record.data()), format.maxRecordBytes());
                scorer.check(decoded);
                good.add(decoded);
                goodRecords.add(record);
            } catch (RecordRejectedException e) {
                metrics.rejected(e.reason());
                rejected.add(DeadLetter.of(record, shardId(), e));
            }
        }
        long[] times = new long[good.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = timeOf(good.get(i), goodRecords.get(i));
        }
        List<Verdict> verdicts = scorer.score(good, times);
        KinesisClientRecord last = records.get(records.size() - 1);
        lastPosition = last.sequenceNumber(); // the models have learnt the batch
        lastSubPosition = last.subSequenceNumber();
        Instant detectedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Anomaly> anomalies = new ArrayList<>();
        for (int i = 0; i < good.size(); i++) {
            Verdict verdict = verdicts.get(i);
            if (verdict.anomaly()) {
                KinesisClientRecord record = goodRecords.get(i);
                anomalies.add(format.layout()
                        .anomaly(good.get(i), verdict.score(), verdict.explanation(), detectedAt, source(record)));
            }
        }
        anomalies.sort(KDA_ORDER);
        // Dead letters first: a batch given up while its letters cannot be stored (S3 down, the lease moving) has
        // published nothing, so its replay publishes its anomalies for the first time, not again minutes later.
        if (!writeDeadLetters(rejected) || !publisher.publish(anomalies, this::stillOwner)) {
            throw new ShardGivenUpException(
                    "gave up handing on a batch of " + records.size() + " records (lease lost or shutting down)");
        }
        recent.addAll(anomalies);
        metrics.published(anomalies);
        count(good, verdicts);
        if (checkpoint(input.checkpointer(), last.sequenceNumber(), last.subSequenceNumber())
                == Checkpoints.Outcome.DONE) {
            checkpointed = last.sequenceNumber();
            scorer.models().evictBeyondShare(checkpointed); // the models have seen exactly the checkpointed records
            snapshotIfDue();
        }
        metrics.batches().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
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
                && checkpointed.equals(lastPosition)
                && !clock.instant().isBefore(lastSnapshot.plus(snapshots.interval()))) {
            scorer.models().snapshot(checkpointed, snapshots.periodicTimeout());
            lastSnapshot = clock.instant();
        }
    }

    private boolean writeDeadLetters(List<DeadLetter> letters) {
        return letters.isEmpty() || deadLetters.write(shardId(), letters, this::stillOwner);
    }

    /**
     * A poison batch: every record to the dead letters with the failure, none scored or learnt, then checkpointed (the
     * models have seen every record up to the checkpoint that they ever will).
     */
    @Override
    protected boolean quarantine(ProcessRecordsInput input, String reason) {
        List<DeadLetter> letters = new ArrayList<>();
        for (KinesisClientRecord record : input.records()) {
            letters.add(DeadLetter.of(record, shardId(), DeadLetter.POISON_BATCH, reason));
        }
        if (!writeDeadLetters(letters)) {
            throw new ShardGivenUpException("gave up dead-lettering a poison batch (lease lost or shutting down)");
        }
        KinesisClientRecord last = input.records().get(input.records().size() - 1);
        if (checkpoint(input.checkpointer(), last.sequenceNumber(), last.subSequenceNumber())
                == Checkpoints.Outcome.DONE) {
            if (lastPosition == null || lastPosition.equals(checkpointed)) {
                lastPosition = last.sequenceNumber(); // the models are consistent with the new checkpoint
                lastSubPosition = last.subSequenceNumber();
            }
            checkpointed = last.sequenceNumber();
        }
        return true;
    }

    @Override
    protected boolean handOffPending(RecordProcessorCheckpointer checkpointer, boolean shardEnd) {
        if (scorer == null || lastPosition == null) {
            return true; // nothing learnt: nothing to store
        }
        if (!lastPosition.equals(checkpointed)) {
            // the last batch's checkpoint failed: checkpoint it now, so that the snapshots match the checkpoint
            if (checkpoint(checkpointer, lastPosition, lastSubPosition) != Checkpoints.Outcome.DONE) {
                return false;
            }
            checkpointed = lastPosition;
        }
        boolean stored = scorer.models().finalSnapshot(checkpointed, snapshots.finalTimeout());
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
    protected void onStop() {
        if (scorer != null) {
            scorer.models().close();
        }
    }
}
