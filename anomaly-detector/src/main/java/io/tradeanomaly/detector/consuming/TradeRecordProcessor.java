package io.tradeanomaly.detector.consuming;

import io.tradeanomaly.common.kcl.Checkpoints;
import io.tradeanomaly.common.kcl.LeaseView;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.common.kcl.ShardProcessorSupport;
import io.tradeanomaly.common.trade.Anomaly;
import io.tradeanomaly.common.trade.RecordCodec;
import io.tradeanomaly.common.trade.RecordRejectedException;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.detector.deadletter.DeadLetter;
import io.tradeanomaly.detector.deadletter.DeadLetterSink;
import io.tradeanomaly.detector.publishing.AnomalyPublisher;
import io.tradeanomaly.detector.scoring.TradeScorer;
import io.tradeanomaly.detector.scoring.Verdict;
import io.tradeanomaly.detector.web.RecentAnomalies;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * One shard's detector: decode, score every good trade (score first, then learn), publish the anomalies ordered as
 * KDA's query ordered them (per arrival second, by score descending), dead-letter the bad records with their reason,
 * and checkpoint the batch only when all of that is durable. While the hand-off keeps failing it retries, as long as
 * this worker still owns the shard; when it does not, it stops without checkpointing and the next owner replays.
 */
public class TradeRecordProcessor extends ShardProcessorSupport {

    private static final Logger log = LoggerFactory.getLogger(TradeRecordProcessor.class);

    private final RecordCodec codec;
    private final Function<String, TradeScorer> scorers;
    private final Duration snapshotInterval;
    private Instant lastSnapshot;
    private String lastPosition;
    private String checkpointed;
    private final AnomalyPublisher publisher;
    private final DeadLetterSink deadLetters;
    private final RecentAnomalies recent;
    private final DetectorMetrics metrics;
    private final LeaseView leases;
    private final Clock clock;
    private TradeScorer scorer;
    private boolean everythingHandedOn = true;

    public TradeRecordProcessor(
            ShardLagMetrics lag,
            RecordCodec codec,
            Function<String, TradeScorer> scorers,
            Duration snapshotInterval,
            AnomalyPublisher publisher,
            DeadLetterSink deadLetters,
            RecentAnomalies recent,
            DetectorMetrics metrics,
            LeaseView leases,
            Clock clock) {
        super(lag);
        this.codec = codec;
        this.scorers = scorers;
        this.snapshotInterval = snapshotInterval;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.recent = recent;
        this.metrics = metrics;
        this.leases = leases;
        this.clock = clock;
    }

    @Override
    protected void onStart(InitializationInput input) {
        scorer = scorers.apply(shardId());
        lastSnapshot = clock.instant();
    }

    @Override
    protected void process(ProcessRecordsInput input) {
        List<KinesisClientRecord> records = input.records();
        if (!everythingHandedOn) {
            return; // after a batch was given up on, nothing later may be checkpointed: the next owner replays
        }
        if (records.isEmpty()) {
            snapshotIfDue(); // idle shards too: KCL calls with empty batches
            return;
        }
        long start = System.nanoTime();
        List<Trade> trades = new ArrayList<>(records.size());
        List<KinesisClientRecord> tradeRecords = new ArrayList<>(records.size());
        List<DeadLetter> rejected = new ArrayList<>();
        for (KinesisClientRecord record : records) {
            try {
                trades.add(codec.decodeTrade(record.data()));
                tradeRecords.add(record);
            } catch (RecordRejectedException e) {
                metrics.rejected(e.reason());
                rejected.add(deadLetter(record, e));
            }
        }
        int modelsBefore = scorer.modelCount();
        List<Verdict> verdicts = scorer.score(trades);
        metrics.modelsChanged(scorer.modelCount() - modelsBefore);
        Instant detectedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Ranked> anomalies = new ArrayList<>();
        for (int i = 0; i < trades.size(); i++) {
            Trade trade = trades.get(i);
            Verdict verdict = verdicts.get(i);
            metrics.scored(verdict.score(), verdict.warmingUp());
            if (trade.injected() != null && !verdict.warmingUp()) {
                metrics.labelled(verdict.anomaly(), trade.isInjected());
            }
            if (verdict.anomaly()) {
                Instant arrival = tradeRecords.get(i).approximateArrivalTimestamp();
                anomalies.add(new Ranked(
                        arrival == null ? 0 : arrival.getEpochSecond(),
                        Anomaly.of(trade, verdict.score(), verdict.explanation(), detectedAt)));
            }
        }
        // KDA: ORDER BY FLOOR(ROWTIME TO SECOND), ANOMALY_SCORE DESC
        anomalies.sort(Comparator.comparingLong(Ranked::second)
                .thenComparing(r -> r.anomaly().anomalyScore(), Comparator.reverseOrder()));
        List<Anomaly> ordered = anomalies.stream().map(Ranked::anomaly).toList();

        boolean handedOn = publisher.publish(ordered, this::stillOwner) && writeDeadLetters(rejected);
        if (!handedOn) {
            everythingHandedOn = false;
            log.warn("Lost the shard while handing on a batch of {} records; not checkpointing", records.size());
            return;
        }
        recent.addAll(ordered);
        KinesisClientRecord last = records.get(records.size() - 1);
        lastPosition = last.sequenceNumber();
        Checkpoints.Outcome checkpoint =
                Checkpoints.checkpoint(input.checkpointer(), last.sequenceNumber(), last.subSequenceNumber());
        metrics.batches().record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (checkpoint == Checkpoints.Outcome.DONE) {
            checkpointed = lastPosition;
            snapshotIfDue();
        }
    }

    /** Snapshots the changed models at the last checkpoint, when the interval is over (see README, "Model state"). */
    private void snapshotIfDue() {
        if (checkpointed != null && !clock.instant().isBefore(lastSnapshot.plus(snapshotInterval))) {
            scorer.snapshot(checkpointed);
            lastSnapshot = clock.instant();
        }
    }

    private boolean stillOwner() {
        return leases.holds(shardId());
    }

    private boolean writeDeadLetters(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return true;
        }
        for (int attempt = 1; attempt == 1 || stillOwner(); attempt++) {
            try {
                deadLetters.write(shardId(), letters);
                return true;
            } catch (RuntimeException e) {
                log.warn("Writing {} dead letter(s) failed (attempt {}): {}", letters.size(), attempt, e.toString());
                try {
                    Thread.sleep(Math.min(10_000, 200L << Math.min(6, attempt))); // backoff before retrying S3
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    private DeadLetter deadLetter(KinesisClientRecord record, RecordRejectedException e) {
        ByteBuffer data = record.data().duplicate();
        String text;
        String encoding;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(data.duplicate()).toString();
            encoding = "utf-8";
        } catch (CharacterCodingException notText) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            text = Base64.getEncoder().encodeToString(bytes);
            encoding = "base64";
        }
        return new DeadLetter(
                e.reason().tag(),
                e.getMessage(),
                shardId(),
                record.sequenceNumber(),
                record.partitionKey(),
                record.approximateArrivalTimestamp(),
                text,
                encoding);
    }

    @Override
    protected boolean handOffPending(RecordProcessorCheckpointer checkpointer) {
        // Every batch is handed on before process() returns; a batch given up on means nothing may be checkpointed.
        if (everythingHandedOn && scorer != null) {
            scorer.snapshot(lastPosition); // shutdown or shard end: the models as of the final checkpoint
        }
        return everythingHandedOn;
    }

    @Override
    protected void onStop() {
        if (scorer != null) {
            metrics.modelsChanged(-scorer.modelCount());
        }
    }

    private record Ranked(long second, Anomaly anomaly) {}
}
