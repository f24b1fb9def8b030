package io.tradeanomaly.detector.consuming;

import io.tradeanomaly.common.deadletter.DeadLetter;
import io.tradeanomaly.common.record.Anomaly;
import io.tradeanomaly.common.record.InputRecord;
import io.tradeanomaly.detector.scoring.Verdict;
import java.util.ArrayList;
import java.util.List;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * One batch of a shard's records on its way through the detector ({@link DetectorRecordProcessor}): decoded once, its
 * dead letters stored, then scored, published and checkpointed chunk by chunk. It remembers how far it got, so that a
 * batch whose hand-off gave up because the worker began to stop is finished by the last hand-off, nothing scored or
 * published twice. Not thread-safe.
 */
final class Batch {

    /** A chunk scored (its models have learnt it) and not yet handed on. */
    record Chunk(int end, List<InputRecord> good, List<Verdict> verdicts, List<Anomaly> anomalies) {}

    final List<KinesisClientRecord> records;
    /** Each record decoded, null where it was rejected. */
    final List<InputRecord> decoded;

    final List<DeadLetter> letters;
    final long startNanos = System.nanoTime();
    boolean lettersStored;
    /** The first record not yet handed on. */
    int next;
    /** The chunk scored and not yet handed on, null when there is none. */
    Chunk scored;
    /** The scored chunk's anomalies not yet accepted by the anomalies stream. */
    List<Anomaly> unsent = List.of();

    Batch(List<KinesisClientRecord> records, List<InputRecord> decoded, List<DeadLetter> letters) {
        this.records = records;
        this.decoded = decoded;
        this.letters = letters;
    }

    boolean done() {
        return next >= records.size();
    }

    /** Each record's key, null where it was rejected. */
    List<String> keys() {
        List<String> keys = new ArrayList<>(decoded.size());
        for (InputRecord record : decoded) {
            keys.add(record == null ? null : record.key());
        }
        return keys;
    }

    /** A chunk was scored: it is handed on next. */
    void scored(Chunk chunk) {
        scored = chunk;
        unsent = chunk.anomalies();
    }

    /** The scored chunk is handed on: the next one starts after it. */
    void handedOn() {
        next = scored.end();
        scored = null;
        unsent = List.of();
    }
}
