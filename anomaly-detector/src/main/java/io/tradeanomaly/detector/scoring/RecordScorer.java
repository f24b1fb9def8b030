package io.tradeanomaly.detector.scoring;

import io.tradeanomaly.common.record.InputRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.function.DoubleSupplier;

/**
 * Scores batches of one shard's records with its {@link ShardModels}, each record by its key's model, score first and
 * learn after, in order. Records of different keys are independent, so with an executor the keys' groups are scored in
 * parallel — each model still by one thread at a time — and the verdicts come back in input order. A record's label is
 * never read here.
 */
public final class RecordScorer {

    private final ShardModels models;
    private final DoubleSupplier threshold;
    private final ExecutorService executor;

    /**
     * @param models the shard's models
     * @param threshold the current threshold (changeable at runtime; read once per batch)
     * @param executor where key groups are scored in parallel; null scores on the calling thread
     */
    public RecordScorer(ShardModels models, DoubleSupplier threshold, ExecutorService executor) {
        this.models = models;
        this.threshold = threshold;
        this.executor = executor;
    }

    /** A scorer without persistence and without a model limit, at the settings' threshold (backtests, tests). */
    public static RecordScorer offline(ScoringSettings settings, ExecutorService executor) {
        return new RecordScorer(new ShardModels(settings), settings::threshold, executor);
    }

    public ShardModels models() {
        return models;
    }

    /**
     * Checks that the method can score this record.
     *
     * @throws io.tradeanomaly.common.record.RecordRejectedException saying why it cannot (the record is dead-lettered)
     */
    public void check(InputRecord record) {
        models.method().check(record.features());
    }

    /**
     * Where the next chunk of a batch ends: the longest run of records from {@code from} whose models fit this
     * shard's share of the model budget together ({@link ShardModels#share}), at least one record. Scoring a batch
     * chunk by chunk, each after {@link ShardModels#makeRoom}, never holds more models than the share, however many
     * keys the batch has; records stay in order, so each key's records are still scored in order.
     *
     * @param keys the batch's record keys, null for a record that is not scored (dead-lettered)
     * @return the end of the chunk, exclusive
     */
    public int chunkEnd(List<String> keys, int from) {
        int share = models.share();
        Set<String> chunk = new HashSet<>();
        int end = from;
        while (end < keys.size()) {
            String key = keys.get(end);
            if (key != null && chunk.add(models.modelKey(key)) && chunk.size() > share) {
                break;
            }
            end++;
        }
        return Math.max(end, from + 1);
    }

    /** The model keys of records (as {@link ShardModels#makeRoom} takes them). */
    public Set<String> modelKeys(List<InputRecord> records) {
        Set<String> keys = new LinkedHashSet<>();
        for (InputRecord record : records) {
            keys.add(models.modelKey(record.key()));
        }
        return keys;
    }

    /**
     * Scores a batch in order; each record is scored before its model learns it. If scoring fails the failure is
     * thrown only once every group has finished, so that no model is still in use when the caller gives the batch up.
     *
     * @param records records the method accepts ({@link #check})
     * @param epochMillis each record's time: its event time, or its arrival time
     */
    public List<Verdict> score(List<InputRecord> records, long[] epochMillis) {
        double current = threshold.getAsDouble();
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            groups.computeIfAbsent(models.modelKey(records.get(i).key()), k -> new ArrayList<>())
                    .add(i);
        }
        Map<String, KeyModel> batch = models.forBatch(groups.keySet());
        Verdict[] verdicts = new Verdict[records.size()];
        if (executor == null || groups.size() < 2) {
            groups.forEach(
                    (key, indexes) -> scoreGroup(batch.get(key), indexes, records, epochMillis, verdicts, current));
        } else {
            List<Callable<Void>> tasks = new ArrayList<>(groups.size());
            groups.forEach((key, indexes) -> tasks.add(() -> {
                scoreGroup(batch.get(key), indexes, records, epochMillis, verdicts, current);
                return null;
            }));
            ShardModels.awaitAll(ShardModels.submitAll(executor, tasks), "scoring");
        }
        return List.of(verdicts);
    }

    private static void scoreGroup(
            KeyModel model,
            List<Integer> indexes,
            List<InputRecord> records,
            long[] epochMillis,
            Verdict[] verdicts,
            double threshold) {
        for (int i : indexes) {
            verdicts[i] = model.score(records.get(i).features(), epochMillis[i], threshold);
        }
    }
}
