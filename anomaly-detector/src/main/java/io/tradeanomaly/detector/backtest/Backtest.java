package io.tradeanomaly.detector.backtest;

import io.tradeanomaly.common.record.AnomalyLayout;
import io.tradeanomaly.common.record.InputRecord;
import io.tradeanomaly.common.record.InputSchema;
import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.common.record.RecordFiles;
import io.tradeanomaly.common.record.RecordRejectedException;
import io.tradeanomaly.detector.scoring.RecordScorer;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import io.tradeanomaly.detector.scoring.Verdict;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.LongConsumer;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the live scoring code over records, in order and in batches like KCL delivers them, and measures detection
 * quality against the records' labels when they carry them: from a file of any stream (the {@code backtest}
 * command: JSON lines or CSV, one output line per record in input order), or in-process from any sequence of records
 * (the quality matrix).
 */
public final class Backtest {

    /** Records per scoring batch, as a KCL batch would bring them. */
    static final int BATCH = 500;

    /** Sees every record with its verdict, in input order. */
    @FunctionalInterface
    public interface Listener {
        void scored(InputRecord record, Verdict verdict);
    }

    private static final JsonNodeFactory NODES = JsonRecords.mapper().getNodeFactory();

    private final ScoringSettings settings;
    private final InputSchema schema;
    private final AnomalyLayout layout;
    private final int maxRecordBytes;
    private final ExecutorService executor;

    /** A backtest of in-process records (no file: no schema or layout needed). */
    public Backtest(ScoringSettings settings, ExecutorService executor) {
        this(settings, null, null, JsonRecords.DEFAULT_MAX_RECORD_BYTES, executor);
    }

    public Backtest(
            ScoringSettings settings,
            InputSchema schema,
            AnomalyLayout layout,
            int maxRecordBytes,
            ExecutorService executor) {
        this.settings = settings;
        this.schema = schema;
        this.layout = layout;
        this.maxRecordBytes = maxRecordBytes;
        this.executor = executor;
    }

    /**
     * Scores every record of a file; writes one JSON line per record to {@code output} (when not null), in input
     * order: the record's fields, {@code ANOMALY_SCORE}, {@code ANOMALY_EXPLANATION} (null unless anomalous) and
     * {@code anomaly}; a record that cannot be scored gets its fields and {@code rejected} (the reason) instead, a line
     * that is not a record {@code rejected} and its {@code input} text.
     *
     * @param progress told the number of records read so far, now and then (may be null)
     */
    public Map<String, Object> run(BufferedReader input, OutputStream output, LongConsumer progress)
            throws IOException {
        Run run = new Run(null, output);
        RecordFiles.LineReader lines = RecordFiles.open(input, maxRecordBytes);
        try {
            while (lines.hasNext()) {
                RecordFiles.Line line = lines.next();
                if (line.error() != null) {
                    run.rejected(rejectedLine(line), line.error());
                    continue;
                }
                InputRecord record;
                try {
                    record = schema.read(line.record());
                    run.scorer.check(record);
                } catch (RecordRejectedException e) {
                    run.rejected(line.record().deepCopy(), e);
                    continue;
                }
                run.add(record);
                if (progress != null && run.read % 100_000 == 0) {
                    progress.accept(run.read);
                }
            }
            Map<String, Object> result = run.finish();
            result.put(
                    "format",
                    lines.format().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            return result;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Scores the given records in-process; {@code listener} (may be null) sees each verdict. */
    public Map<String, Object> run(Iterable<InputRecord> records, Listener listener) {
        Run run = new Run(listener, null);
        records.forEach(run::add);
        return run.finish();
    }

    private static ObjectNode rejectedLine(RecordFiles.Line line) {
        ObjectNode node = NODES.objectNode();
        node.put("input", line.text());
        return node;
    }

    /** One pass: batches, scores, counts, writes. */
    private final class Run {
        private final RecordScorer scorer = RecordScorer.offline(settings, executor);
        private final Listener listener;
        private final OutputStream output;
        private final Confusion all = new Confusion();
        private final Confusion afterWarmup = new Confusion();
        private final Map<String, Integer> seenPerKey = new HashMap<>();
        /** The batch in input order: a record to score, or a finished line (rejected). */
        private final List<Object> pending = new ArrayList<>(BATCH);

        private final List<InputRecord> batch = new ArrayList<>(BATCH);
        private long read;
        private long records;
        private long anomalies;
        private long rejected;
        private boolean labelled;
        private long scoringNanos;

        Run(Listener listener, OutputStream output) {
            this.listener = listener;
            this.output = output;
        }

        void add(InputRecord record) {
            read++;
            batch.add(record);
            pending.add(record);
            if (batch.size() == BATCH) {
                flush();
            }
        }

        void rejected(ObjectNode line, RecordRejectedException reason) {
            read++;
            rejected++;
            line.put("rejected", reason.reason().tag() + ": " + reason.getMessage());
            pending.add(line);
        }

        private void flush() {
            long start = System.nanoTime();
            long[] times = new long[batch.size()];
            for (int i = 0; i < times.length; i++) {
                InputRecord record = batch.get(i);
                times[i] = record.time() != null ? record.time().toEpochMilli() : (records + i) * 1000;
            }
            List<Verdict> verdicts = scorer.score(batch, times);
            scoringNanos += System.nanoTime() - start;
            int next = 0;
            for (Object item : pending) {
                if (item instanceof ObjectNode line) {
                    write(line);
                    continue;
                }
                InputRecord record = (InputRecord) item;
                Verdict verdict = verdicts.get(next++);
                count(record, verdict);
                if (output != null) {
                    write(scoreLine(record, verdict));
                }
                if (listener != null) {
                    listener.scored(record, verdict);
                }
            }
            batch.clear();
            pending.clear();
        }

        private void count(InputRecord record, Verdict verdict) {
            records++;
            anomalies += verdict.anomaly() ? 1 : 0;
            if (record.label() != null) {
                labelled = true;
                all.add(verdict.anomaly(), record.isLabelled());
                int seen = seenPerKey.merge(record.key(), 1, Integer::sum);
                if (seen > settings.outputAfter()) {
                    afterWarmup.add(verdict.anomaly(), record.isLabelled());
                }
            }
        }

        private void write(ObjectNode line) {
            if (output == null) {
                return;
            }
            try {
                output.write(JsonRecords.encode(line));
                output.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Map<String, Object> finish() {
            if (!pending.isEmpty()) {
                flush();
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("records", records);
            result.put("rejected", rejected);
            result.put("anomalies", anomalies);
            result.put("models", scorer.models().modelCount());
            result.put("recordsPerSecond", Math.round(records / Math.max(1e-9, scoringNanos / 1e9)));
            if (labelled) {
                result.putAll(all.toMap());
                Map<String, Object> warm = afterWarmup.toMap();
                warm.put("records", afterWarmup.records());
                result.put("afterWarmup", warm);
            }
            result.put("settings", settings);
            return result;
        }
    }

    /** The output line of a scored record: its fields in the anomaly layout, the score, explanation and verdict. */
    private ObjectNode scoreLine(InputRecord record, Verdict verdict) {
        ObjectNode line = layout.anomaly(record, verdict.score(), verdict.explanation(), null, null)
                .record();
        line.put("anomaly", verdict.anomaly());
        return line;
    }
}
