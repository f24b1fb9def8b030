package io.tradeanomaly.detector.scoring;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An in-memory model store with S3's conditional-write semantics (a version per object, writes conditional on it),
 * and failures to order: the next {@code failLoads} reads answer "unavailable", the next {@code brokenLoads} reads
 * fail with an unexpected error, every write fails while {@code failSaves} is set.
 */
public final class MemoryModelStore implements ModelStore {
    public final Map<String, Stored> objects = new HashMap<>();
    public int loads;
    public int failLoads;
    public int brokenLoads;
    public volatile boolean failSaves;
    private int versions;

    @Override
    public synchronized Optional<Stored> load(String key) {
        loads++;
        if (brokenLoads > 0) {
            brokenLoads--;
            throw new IllegalStateException("a bug while reading " + key);
        }
        if (failLoads > 0) {
            failLoads--;
            throw new SnapshotUnavailableException("503 Slow Down", null);
        }
        return Optional.ofNullable(objects.get(key));
    }

    @Override
    public synchronized String save(String key, byte[] snapshot, String expectedVersion) {
        if (failSaves) {
            throw new IllegalStateException("S3 is down");
        }
        Stored current = objects.get(key);
        String currentVersion = current == null ? null : current.version();
        if (!Objects.equals(currentVersion, expectedVersion)) {
            throw new SnapshotConflictException("412 Precondition Failed", null);
        }
        String version = "v" + ++versions;
        objects.put(key, new Stored(snapshot, version));
        return version;
    }

    public synchronized byte[] data(String key) {
        return objects.get(key).data();
    }
}
