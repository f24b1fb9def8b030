package io.tradeanomaly.detector.scoring;

import io.tradeanomaly.common.retry.Backoff;
import io.tradeanomaly.common.retry.Retries;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * The models of one shard processor, one per key (the shard's one model in GLOBAL keying, one per value of the key
 * field in PER_KEY), and how they outlive memory: {@link RecordScorer} scores with them, this class keeps them. Models
 * are snapshotted to a {@link ModelStore} and restored from it the first time their key is seen on a shard (after a
 * restart, a crash, a moved lease, a reshard). What this class guarantees:
 *
 * <ul>
 *   <li>A snapshot that may exist is never replaced by a fresh model: "missing" and "could not be read" are kept
 *       apart, and a read that fails is retried as long as the processor owns the shard.
 *   <li>Snapshots are written only where the caller says the models are consistent with its checkpoint
 *       ({@link #snapshot}, {@link #evictBeyondShare}), conditionally on the version last seen, so that a stale owner
 *       can never replace a newer snapshot; a model whose snapshot another owner wrote meanwhile is dropped and
 *       restored from it on its next trade.
 *   <li>Memory is bounded per JVM ({@link ModelBudget}), within a batch too: before records are scored the least
 *       recently used models are evicted so that those held and those the records need fit this scorer's share
 *       ({@link #makeRoom}; a batch with more keys than the share is scored in chunks that fit, see
 *       {@link RecordScorer#chunkEnd}), and after each checkpoint those beyond the share; each after a snapshot
 *       attempt, whether or not it succeeded.
 * </ul>
 */
public final class ShardModels {

    /**
     * How models outlive memory.
     *
     * @param store where snapshots are kept
     * @param io threads that write snapshots in parallel (null: the calling thread)
     * @param budget the per-JVM bound on models in memory
     * @param events metrics and logs of model life-cycle events
     * @param retry the backoff of snapshot reads and writes
     * @param evictionTimeout how long the snapshot of a model being evicted may retry (it is evicted regardless)
     * @param clock for snapshot deadlines
     */
    public record Persistence(
            ModelStore store,
            ExecutorService io,
            ModelBudget budget,
            ModelEvents events,
            Backoff retry,
            Duration evictionTimeout,
            Clock clock) {

        /** No snapshots and no bound (backtests, tests). */
        public static Persistence none() {
            return new Persistence(
                    ModelStore.none(),
                    null,
                    ModelBudget.unlimited(),
                    ModelEvents.NONE,
                    Backoff.ONCE,
                    Duration.ZERO,
                    Clock.systemUTC());
        }
    }

    private final ScoringSettings settings;
    private final DetectionMethod method;
    private final Persistence persistence;
    private final String shardId;
    private final BooleanSupplier keepTrying;
    private final String startPosition;
    private final ModelCodec codec;
    private final LinkedHashMap<String, KeyModel> models = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<String, String> versions = new HashMap<>();
    private final Set<String> dirty = new HashSet<>();
    /** Keys whose stored snapshot a newer build wrote: scored with a fresh model, never saved over it. */
    private final Set<String> newerElsewhere = new HashSet<>();

    private volatile int modelCount;

    /** Models without persistence and without a limit (backtests, tests). */
    public ShardModels(ScoringSettings settings) {
        this(settings, Persistence.none(), "backtest", () -> true, null);
    }

    /**
     * @param settings the method and its settings
     * @param persistence snapshots and the memory bound
     * @param shardId the shard this scorer serves (names the GLOBAL model's snapshot)
     * @param keepTrying whether the shard is still this processor's: snapshot reads and writes are retried while it is
     * @param startPosition the checkpoint this shard's processing started from (null: none), to check snapshots by
     */
    public ShardModels(
            ScoringSettings settings,
            Persistence persistence,
            String shardId,
            BooleanSupplier keepTrying,
            String startPosition) {
        this.settings = settings;
        this.method = settings.detectionMethod();
        this.codec = new ModelCodec(method);
        this.persistence = persistence;
        this.shardId = shardId;
        this.keepTrying = keepTrying;
        this.startPosition = startPosition;
        persistence.budget().join(this);
    }

    /** Models held now (safe to read from any thread). */
    public int modelCount() {
        return modelCount;
    }

    public ScoringSettings settings() {
        return settings;
    }

    /** The detection method of every model here. */
    public DetectionMethod method() {
        return method;
    }

    /** The model key of a record's key: the shard's one model in GLOBAL keying. */
    public String modelKey(String recordKey) {
        return settings.keying() == ModelKeying.GLOBAL ? "*" : recordKey;
    }

    /**
     * The models of a batch's keys, fetched or restored on the calling thread (the cache is never touched by scoring
     * threads), and marked as changed: they are about to learn.
     */
    Map<String, KeyModel> forBatch(Collection<String> keys) {
        Map<String, KeyModel> batch = new LinkedHashMap<>();
        keys.forEach(key -> batch.put(key, model(key)));
        dirty.addAll(keys);
        return batch;
    }

    private KeyModel model(String key) {
        KeyModel model = models.get(key);
        if (model == null) {
            model = restore(key).orElseGet(() -> {
                persistence.events().created(key);
                return method.newModel(settings.seed() ^ key.hashCode() * 0x9E3779B97F4A7C15L);
            });
            models.put(key, model);
            modelCount = models.size();
        }
        return model;
    }

    /**
     * The model's snapshot, if one exists and can be used. A read that fails is retried while the shard is ours (a
     * {@link Retries.GaveUpException} ends the batch otherwise): a model is started fresh only when there is no
     * snapshot, or when its snapshot cannot be used — and then the next save replaces it.
     */
    private Optional<KeyModel> restore(String key) {
        String storeKey = storeKey(key);
        Optional<ModelStore.Stored> stored = Retries.call(
                "Reading the snapshot of model " + key,
                persistence.retry(),
                keepTrying,
                e -> e instanceof SnapshotUnavailableException,
                () -> persistence.store().load(storeKey));
        if (stored.isEmpty()) {
            versions.remove(key);
            return Optional.empty();
        }
        versions.put(key, stored.get().version());
        try {
            ModelCodec.Decoded decoded = codec.decode(stored.get().data());
            if (shardId.equals(decoded.shardId()) && isAfter(decoded.position(), startPosition)) {
                persistence.events().snapshotAhead(key, decoded.position(), startPosition);
            }
            persistence.events().restored(key);
            return Optional.of(decoded.model());
        } catch (NewerSnapshotException e) {
            newerElsewhere.add(key); // a mixed-version rollout: leave the newer build's snapshot alone
            persistence.events().unusableSnapshot(key, e);
            return Optional.empty();
        } catch (InvalidSnapshotException e) {
            persistence.events().unusableSnapshot(key, e);
            return Optional.empty();
        }
    }

    /**
     * Snapshots every model that learnt something since its last snapshot, in parallel. Call it only where the models
     * have seen exactly the records up to {@code position} and that position is checkpointed (or about to be, after
     * this returns true).
     *
     * @param position the record position the models have seen up to (stored with each snapshot)
     * @param within how long the writes may be retried (while the shard is still the processor's)
     * @return true when every changed model is stored
     */
    public boolean snapshot(String position, Duration within) {
        return snapshot(position, within, keepTrying);
    }

    /**
     * The snapshot of the last hand-off (graceful shutdown, shard end): KCL has just handed the processor the shard to
     * finish with, so the writes are retried for {@code within} even though the worker is stopping.
     */
    public boolean finalSnapshot(String position, Duration within) {
        return snapshot(position, within, () -> true);
    }

    private boolean snapshot(String position, Duration within, BooleanSupplier owner) {
        List<String> keys = new ArrayList<>();
        for (String key : models.keySet()) { // iterating keeps the least-recently-used order unchanged
            if (dirty.contains(key)) {
                keys.add(key);
            }
        }
        dirty.retainAll(keys);
        int failed = save(keys, position, persistence.clock().instant().plus(within), owner);
        persistence.events().saved(keys.size() - failed);
        return failed == 0;
    }

    /** Models this scorer may hold at once: its share of the JVM's {@link ModelBudget} now. */
    public int share() {
        return persistence.budget().share();
    }

    /**
     * Evicts the least recently used models beyond this scorer's share of the {@link ModelBudget}, each after a
     * snapshot attempt at {@code position} (same rule as {@link #snapshot}). A model is evicted even when its snapshot
     * fails, so that memory stays bounded; it then resumes from its last stored snapshot.
     */
    public void evictBeyondShare(String position) {
        makeRoom(List.of(), position);
    }

    /**
     * Whether scoring records of these model keys would take this scorer beyond its share: the models it holds and
     * those of the keys it does not hold yet.
     */
    public boolean needsRoom(Collection<String> keys) {
        return models.size() + absent(keys) > share();
    }

    /**
     * Makes room for the models of records about to be scored, so that this scorer never holds more than its share
     * while it scores them: evicts the least recently used models that are not among {@code keys} until the models
     * held and those the keys add fit the share (same rule as {@link #evictBeyondShare}: call it only where the models
     * have seen exactly the records up to {@code position}, which is checkpointed). The keys themselves must fit the
     * share ({@link RecordScorer#chunkEnd} cuts a batch so).
     */
    public void makeRoom(Collection<String> keys, String position) {
        int excess = models.size() + absent(keys) - share();
        if (excess <= 0) {
            return;
        }
        Set<String> needed = new HashSet<>(keys);
        List<String> eldest = new ArrayList<>(excess);
        for (String key : models.keySet()) { // least recently used first; iterating leaves the order unchanged
            if (eldest.size() == excess) {
                break;
            }
            if (!needed.contains(key)) {
                eldest.add(key);
            }
        }
        evict(eldest, position);
    }

    private int absent(Collection<String> keys) {
        int absent = 0;
        for (String key : new HashSet<>(keys)) {
            if (!models.containsKey(key)) {
                absent++;
            }
        }
        return absent;
    }

    /** Evicts the models, each after a snapshot attempt at {@code position}, stored or not. */
    private void evict(List<String> eldest, String position) {
        List<String> changed = eldest.stream().filter(dirty::contains).toList();
        Set<String> unsaved = new HashSet<>(changed);
        Map<String, Boolean> outcome = saveEach(
                changed, position, persistence.clock().instant().plus(persistence.evictionTimeout()), keepTrying);
        outcome.forEach((key, stored) -> {
            if (stored) {
                unsaved.remove(key);
            }
        });
        for (String key : eldest) {
            models.remove(key);
            newerElsewhere.remove(key);
            versions.remove(key);
            dirty.remove(key);
            if (unsaved.contains(key)) {
                persistence.events().evictedUnsaved(key);
            } else {
                persistence.events().evicted(key);
            }
        }
        modelCount = models.size();
    }

    /** Saves the models; returns how many could not be stored. */
    private int save(List<String> keys, String position, Instant deadline, BooleanSupplier owner) {
        Map<String, Boolean> outcome = saveEach(keys, position, deadline, owner);
        return (int) outcome.values().stream().filter(stored -> !stored).count();
    }

    /** Saves each model (in parallel on the io threads) and applies the outcomes here; true where stored. */
    private Map<String, Boolean> saveEach(List<String> keys, String position, Instant deadline, BooleanSupplier owner) {
        List<Callable<Saved>> tasks = new ArrayList<>(keys.size());
        for (String key : keys) {
            KeyModel model = models.get(key);
            String expected = versions.get(key);
            tasks.add(() -> saveOne(key, model, expected, position, deadline, owner));
        }
        List<Saved> results = persistence.io() == null
                ? runHere(tasks)
                : awaitAll(submitAll(persistence.io(), tasks), "saving snapshots");
        Map<String, Boolean> outcome = new LinkedHashMap<>();
        for (Saved saved : results) {
            if (saved.conflict()) {
                persistence.events().snapshotConflict(saved.key());
                models.remove(saved.key());
                versions.remove(saved.key());
                dirty.remove(saved.key());
                outcome.put(saved.key(), true); // nothing to keep: the stored snapshot is newer
            } else if (saved.failure() != null) {
                persistence.events().saveFailed(saved.key(), saved.failure());
                outcome.put(saved.key(), false);
            } else {
                if (saved.version() != null) {
                    versions.put(saved.key(), saved.version());
                }
                dirty.remove(saved.key());
                outcome.put(saved.key(), true);
            }
        }
        modelCount = models.size();
        return outcome;
    }

    private record Saved(String key, String version, RuntimeException failure, boolean conflict) {}

    private Saved saveOne(
            String key, KeyModel model, String expected, String position, Instant deadline, BooleanSupplier owner) {
        if (!model.worthKeeping() || newerElsewhere.contains(key)) {
            // not worth keeping (a few records of warm-up), or a newer build's snapshot that must stay
            return new Saved(key, null, null, false);
        }
        byte[] snapshot = codec.encode(model, shardId, position); // no scoring runs while snapshots are taken
        String storeKey = storeKey(key);
        try {
            String version = Retries.call(
                    "Saving the snapshot of model " + key,
                    persistence.retry(),
                    () -> keepTrying.getAsBoolean()
                            && persistence.clock().instant().isBefore(deadline),
                    e -> !(e instanceof SnapshotConflictException),
                    () -> persistence.store().save(storeKey, snapshot, expected));
            return new Saved(key, version, null, false);
        } catch (SnapshotConflictException e) {
            return new Saved(key, null, null, true);
        } catch (RuntimeException e) {
            return new Saved(key, null, e, false);
        }
    }

    /** Leaves the JVM's model budget (the processor has stopped). */
    public void close() {
        persistence.budget().leave(this);
    }

    static <T> List<Future<T>> submitAll(ExecutorService executor, List<Callable<T>> tasks) {
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (Callable<T> task : tasks) {
            futures.add(executor.submit(task)); // a RejectedExecutionException ends the batch (shutting down)
        }
        return futures;
    }

    /** Waits for every task, even after one failed, then throws the first failure. */
    static <T> List<T> awaitAll(List<Future<T>> futures, String what) {
        List<T> results = new ArrayList<>(futures.size());
        RuntimeException first = null;
        boolean interrupted = false;
        for (Future<T> future : futures) {
            while (true) {
                try {
                    results.add(future.get());
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the tasks use models: wait for them all the same
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = new IllegalStateException(what + " failed", e.getCause());
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            if (first == null) {
                first = new IllegalStateException(what + " interrupted");
            }
        }
        if (first != null) {
            throw first;
        }
        return results;
    }

    private static <T> List<T> runHere(List<Callable<T>> tasks) {
        List<T> results = new ArrayList<>(tasks.size());
        for (Callable<T> task : tasks) {
            try {
                results.add(task.call());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return results;
    }

    /** True when sequence number {@code a} comes after {@code b} (false when either is not a sequence number). */
    static boolean isAfter(String a, String b) {
        if (a == null || b == null || a.isEmpty() || b.isEmpty()) {
            return false;
        }
        try {
            return new BigInteger(a).compareTo(new BigInteger(b)) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The snapshot name of a model key: per key across shards, the GLOBAL model per shard. */
    String storeKey(String key) {
        return settings.keying() == ModelKeying.GLOBAL
                ? "global/" + shardId
                : "key/" + URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    /** The models by key (for tests); the caller must not use them concurrently with scoring. */
    public Map<String, KeyModel> models() {
        return models;
    }
}
