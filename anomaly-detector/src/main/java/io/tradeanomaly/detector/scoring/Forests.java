package io.tradeanomaly.detector.scoring;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.state.ExecutionContext;
import com.amazon.randomcutforest.state.RandomCutForestMapper;
import com.amazon.randomcutforest.state.RandomCutForestState;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import tools.jackson.databind.json.JsonMapper;

/** A forest's state in a snapshot: RCF's own {@link RandomCutForestMapper} state as JSON (samplers, point store). */
final class Forests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Forests of up to 32 features x 64 shingles, 1000 trees x 4096 samples stay far below this. */
    private static final int MAX_BYTES = 512 * 1024 * 1024;

    private Forests() {}

    static void write(RandomCutForest forest, DataOutputStream out) throws IOException {
        byte[] state = JSON.writeValueAsBytes(new RandomCutForestMapper().toState(forest));
        out.writeInt(state.length);
        out.write(state);
    }

    static RandomCutForest read(DataInputStream in, long seed) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_BYTES) {
            throw new IOException("bad forest length " + length);
        }
        byte[] state = new byte[length];
        in.readFully(state);
        ExecutionContext sequential = new ExecutionContext(); // parallelism is across models, not inside one
        sequential.setParallelExecutionEnabled(false);
        return new RandomCutForestMapper().toModel(JSON.readValue(state, RandomCutForestState.class), sequential, seed);
    }
}
