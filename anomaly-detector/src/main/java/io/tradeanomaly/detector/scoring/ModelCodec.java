package io.tradeanomaly.detector.scoring;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.state.ExecutionContext;
import com.amazon.randomcutforest.state.RandomCutForestMapper;
import com.amazon.randomcutforest.state.RandomCutForestState;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * A model's complete state as bytes: the forest (RCF's {@link RandomCutForestMapper} state as JSON, samplers and point
 * store, trees rebuilt on load) and everything around it (levels, scales and learnt shapes of the features, warm-up
 * counters), GZIP-compressed, behind a magic number, a format version and the settings that shaped the model. A
 * snapshot written under other model-shaping settings, or by a build with another format, is refused with {@link
 * IncompatibleSnapshotException} naming what differs; a damaged one with {@link InvalidSnapshotException}; never
 * half-restored.
 */
public final class ModelCodec {

    static final int MAGIC = 0x54415031; // "TAP1"
    /**
     * 1: relative features (before calibrated features); 2: calibrated features, settings header; 3: the warm-up's
     * collected trades as features, not standardized values; 4: how many values each shape has learnt and whether
     * volatility rose since its last screening (a young shape screens its reference again).
     */
    static final int VERSION = 4;

    private final JsonMapper json = JsonMapper.builder().build(); // Jackson 3, as everywhere else in the project
    private final RandomCutForestMapper forests = new RandomCutForestMapper();

    /** Encodes a model, recording the settings that shaped it, the shard and the record position it has seen up to. */
    public byte[] encode(AnomalyModel model, String shardId, String position) {
        ScoringSettings settings = model.settings();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(shardId == null ? "" : shardId);
            out.writeUTF(position == null ? "" : position);
            Map<String, String> shaping = shaping(settings);
            out.writeInt(shaping.size());
            for (Map.Entry<String, String> setting : shaping.entrySet()) {
                out.writeUTF(setting.getKey());
                out.writeUTF(setting.getValue());
            }
            AnomalyModel.State state = model.state();
            out.writeLong(state.seen());
            out.writeInt(state.sinceCutoff());
            out.writeBoolean(state.transform() != null);
            if (state.transform() != null) {
                writeTransform(out, state.transform());
            }
            byte[] forest = json.writeValueAsBytes(forests.toState(model.forest()));
            out.writeInt(forest.length);
            out.write(forest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a snapshot for a scorer with {@code settings}.
     *
     * @throws IncompatibleSnapshotException when it was written by another format or under other model-shaping settings
     * @throws InvalidSnapshotException when it is damaged
     */
    public Decoded decode(byte[] snapshot, ScoringSettings settings) {
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
            for (int i = 0; i < count; i++) {
                shaping.put(in.readUTF(), in.readUTF());
            }
            requireCompatible(shaping, shaping(settings));
            long seen = in.readLong();
            int sinceCutoff = in.readInt();
            FeatureTransform.State transform = in.readBoolean() ? readTransform(in) : null;
            byte[] forestJson = new byte[in.readInt()];
            in.readFully(forestJson);
            ExecutionContext sequential = new ExecutionContext(); // parallelism is across models, not inside one
            sequential.setParallelExecutionEnabled(false);
            RandomCutForest forest = forests.toModel(
                    json.readValue(forestJson, RandomCutForestState.class), sequential, settings.seed());
            AnomalyModel.State state = new AnomalyModel.State(settings.features(), seen, sinceCutoff, transform);
            return new Decoded(AnomalyModel.restore(forest, state, settings), shardId, position);
        } catch (InvalidSnapshotException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidSnapshotException("unusable model snapshot: " + e.getMessage(), e);
        }
    }

    /** A restored model and where its snapshot was taken. */
    public record Decoded(AnomalyModel model, String shardId, String position) {}

    /**
     * The settings and constants that shape a model's state, as property names and values: a model restored under
     * other ones would not be the model the settings describe.
     */
    static Map<String, String> shaping(ScoringSettings settings) {
        Map<String, String> shaping = new LinkedHashMap<>();
        shaping.put("model", settings.keying().name());
        shaping.put("features", settings.features().name());
        shaping.put("number-of-trees", String.valueOf(settings.numberOfTrees()));
        shaping.put("sample-size", String.valueOf(settings.sampleSize()));
        shaping.put("time-decay", String.valueOf(settings.timeDecayWindow()));
        shaping.put("bounding-box-cache-fraction", String.valueOf(settings.boundingBoxCacheFraction()));
        if (settings.features() == Features.CALIBRATED) {
            shaping.put(
                    "calibration",
                    FeatureScale.LEVEL_WINDOW + "-" + FeatureScale.MIDDLE_WINDOW + "-" + FeatureScale.LONG_WINDOW + "@"
                            + FeatureScale.AGREEMENT + "/" + FeatureScale.SCALE_WINDOW + "/" + FeatureScale.FAST_WINDOW
                            + "/"
                            + FeatureShape.REFERENCE + "/" + FeatureTransform.SCREENED);
        }
        return shaping;
    }

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

    private static void writeTransform(DataOutputStream out, FeatureTransform.State state) throws IOException {
        out.writeInt(state.features().length);
        for (double[][] feature : state.features()) {
            out.writeInt(feature.length);
            for (double[] values : feature) {
                writeDoubles(out, values);
            }
        }
        out.writeInt(state.screening().length);
        for (double[] features : state.screening()) {
            writeDoubles(out, features);
        }
    }

    private static FeatureTransform.State readTransform(DataInputStream in) throws IOException {
        double[][][] features = new double[length(in, FeatureTransform.FEATURES.length)][][];
        for (int i = 0; i < features.length; i++) {
            features[i] = new double[length(in, 6)][];
            for (int j = 0; j < features[i].length; j++) {
                features[i][j] = readDoubles(in);
            }
        }
        double[][] screening = new double[length(in, FeatureTransform.SCREENED)][];
        for (int i = 0; i < screening.length; i++) {
            screening[i] = readDoubles(in);
        }
        for (double[][] feature : features) {
            if (feature.length != 6 || feature[3].length != 1 || feature[5].length != 2 || feature[5][0] < 0) {
                throw new IOException("malformed feature state");
            }
        }
        if (features.length != FeatureTransform.FEATURES.length) {
            throw new IOException("snapshot has " + features.length + " features");
        }
        return new FeatureTransform.State(features, screening);
    }

    private static int length(DataInputStream in, int max) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > max) {
            throw new IOException("bad length " + length);
        }
        return length;
    }

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values.length);
        for (double value : values) {
            out.writeDouble(value);
        }
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        double[] values = new double[length(in, 1_000_000)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readDouble();
            if (!Double.isFinite(values[i])) {
                throw new IOException("non-finite value in snapshot");
            }
        }
        return values;
    }
}
