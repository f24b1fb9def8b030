package io.tradeanomaly.detector.scoring;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.state.ExecutionContext;
import com.amazon.randomcutforest.state.RandomCutForestMapper;
import com.amazon.randomcutforest.state.RandomCutForestState;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A model's complete state as bytes: the forest (RCF's {@link RandomCutForestMapper} state as JSON, samplers and point
 * store, trees rebuilt on load) and everything around it (feature calibration and price levels, score statistics,
 * warm-up and shift counters), GZIP-compressed, behind a magic number and a format version. A snapshot of another
 * version, or a damaged one, is refused with {@link InvalidSnapshotException}, never half-restored.
 */
public final class ModelCodec {

    static final int MAGIC = 0x54415031; // "TAP1"
    static final int VERSION = 1;

    private final ObjectMapper json = new ObjectMapper();
    private final RandomCutForestMapper forests = new RandomCutForestMapper();

    /** Encodes a model, recording the shard and the record position it has seen up to. */
    public byte[] encode(AnomalyModel model, String shardId, String position) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(shardId == null ? "" : shardId);
            out.writeUTF(position == null ? "" : position);
            AnomalyModel.State state = model.state();
            out.writeUTF(state.features().name());
            out.writeLong(state.seen());
            out.writeInt(state.consecutiveAnomalies());
            writeDoubles(out, state.streakPrices());
            out.writeDouble(state.scoreMean());
            out.writeDouble(state.scoreVariance());
            out.writeLong(state.scoreCount());
            out.writeBoolean(state.scales() != null);
            if (state.scales() != null) {
                writeDoubles(out, state.scales());
                out.writeDouble(state.quantityCenter());
            }
            out.writeInt(state.levels().size());
            for (Map.Entry<String, double[]> level : state.levels().entrySet()) {
                out.writeUTF(level.getKey());
                out.writeDouble(level.getValue()[0]);
            }
            byte[] forest = json.writeValueAsBytes(forests.toState(model.forest()));
            out.writeInt(forest.length);
            out.write(forest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a snapshot, or throws {@link InvalidSnapshotException} saying why it cannot be used. */
    public Decoded decode(byte[] snapshot, ScoringSettings settings) {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(snapshot)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a model snapshot");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("snapshot format " + version + ", this build reads " + VERSION);
            }
            String shardId = in.readUTF();
            String position = in.readUTF();
            Features features = Features.valueOf(in.readUTF());
            if (features != settings.features()) {
                throw new IOException("snapshot uses " + features + " features, settings say " + settings.features());
            }
            long seen = in.readLong();
            int consecutive = in.readInt();
            double[] streak = readDoubles(in);
            double mean = in.readDouble();
            double variance = in.readDouble();
            long count = in.readLong();
            double[] scales = null;
            double quantityCenter = 0;
            if (in.readBoolean()) {
                scales = readDoubles(in);
                quantityCenter = in.readDouble();
            }
            int levelCount = in.readInt();
            Map<String, double[]> levels = new HashMap<>();
            for (int i = 0; i < levelCount; i++) {
                levels.put(in.readUTF(), new double[] {in.readDouble()});
            }
            byte[] forestJson = new byte[in.readInt()];
            in.readFully(forestJson);
            ExecutionContext sequential = new ExecutionContext(); // parallelism is across models, not inside one
            sequential.setParallelExecutionEnabled(false);
            RandomCutForest forest = forests.toModel(
                    json.readValue(forestJson, RandomCutForestState.class), sequential, settings.seed());
            AnomalyModel.State state = new AnomalyModel.State(
                    features, seen, consecutive, streak, mean, variance, count, scales, quantityCenter, levels);
            return new Decoded(AnomalyModel.restore(forest, state, settings), shardId, position);
        } catch (IOException | RuntimeException e) {
            throw new InvalidSnapshotException("unusable model snapshot: " + e.getMessage(), e);
        }
    }

    /** A restored model and where its snapshot was taken. */
    public record Decoded(AnomalyModel model, String shardId, String position) {}

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values.length);
        for (double value : values) {
            out.writeDouble(value);
        }
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 1_000_000) {
            throw new IOException("bad array length " + length);
        }
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }
}
