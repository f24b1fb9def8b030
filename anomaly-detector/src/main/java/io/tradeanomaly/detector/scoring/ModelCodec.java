package io.tradeanomaly.detector.scoring;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A model's complete state as bytes: a header (magic number, format version, the shard and record position it was
 * taken at, the settings that shaped the model) and the method's own state (the forest as RCF's mapper state, and for
 * the calibrated method the features' levels, scales and learnt shapes), GZIP-compressed. A snapshot written under
 * other model-shaping settings, or by a build with another format, is refused with {@link
 * IncompatibleSnapshotException} naming what differs; a damaged one with {@link InvalidSnapshotException}; never
 * half-restored.
 */
public final class ModelCodec {

    static final int MAGIC = 0x54415031; // "TAP1"
    /**
     * 1: relative features (before calibrated features); 2: calibrated features, settings header; 3: the warm-up's
     * collected trades as features, not standardized values; 4: how many values each shape has learnt and whether
     * volatility rose since its last screening; 5: any stream (the method and the feature names in the settings,
     * the method's own state after the header).
     */
    static final int VERSION = 5;

    private final DetectionMethod method;

    public ModelCodec(DetectionMethod method) {
        this.method = method;
    }

    /** Encodes a model, recording the settings that shaped it, the shard and the record position it has seen up to. */
    public byte[] encode(KeyModel model, String shardId, String position) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(shardId == null ? "" : shardId);
            out.writeUTF(position == null ? "" : position);
            Map<String, String> shaping = method.shaping();
            out.writeInt(shaping.size());
            for (Map.Entry<String, String> setting : shaping.entrySet()) {
                out.writeUTF(setting.getKey());
                out.writeUTF(setting.getValue());
            }
            method.write(model, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a snapshot for this codec's method.
     *
     * @throws IncompatibleSnapshotException when it was written by another format or under other model-shaping settings
     * @throws InvalidSnapshotException when it is damaged
     */
    public Decoded decode(byte[] snapshot) {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(snapshot)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a model snapshot");
            }
            int version = in.readInt();
            if (version > VERSION) {
                throw new NewerSnapshotException(
                        "snapshot format " + version + " of a newer build, this build reads format " + VERSION);
            }
            if (version != VERSION) {
                throw new IncompatibleSnapshotException(
                        "snapshot format " + version + ", this build reads format " + VERSION);
            }
            String shardId = in.readUTF();
            String position = in.readUTF();
            Map<String, String> shaping = new LinkedHashMap<>();
            int count = in.readInt();
            if (count < 0 || count > 64) {
                throw new IOException("bad settings count " + count);
            }
            for (int i = 0; i < count; i++) {
                shaping.put(in.readUTF(), in.readUTF());
            }
            requireCompatible(shaping, method.shaping());
            return new Decoded(method.read(in), shardId, position);
        } catch (InvalidSnapshotException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidSnapshotException("unusable model snapshot: " + e.getMessage(), e);
        }
    }

    /** A restored model and where its snapshot was taken. */
    public record Decoded(KeyModel model, String shardId, String position) {}

    private static void requireCompatible(Map<String, String> snapshot, Map<String, String> current) {
        List<String> differences = new ArrayList<>();
        for (String name : current.keySet()) {
            if (!Objects.equals(snapshot.get(name), current.get(name))) {
                differences.add(
                        name + " " + snapshot.getOrDefault(name, "(none)") + " (now " + current.get(name) + ")");
            }
        }
        for (String name : snapshot.keySet()) {
            if (!current.containsKey(name)) {
                differences.add(name + " " + snapshot.get(name) + " (now none)");
            }
        }
        if (!differences.isEmpty()) {
            throw new IncompatibleSnapshotException(
                    "snapshot written under other settings: " + String.join(", ", differences));
        }
    }
}
