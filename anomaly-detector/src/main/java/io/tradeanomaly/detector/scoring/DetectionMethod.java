package io.tradeanomaly.detector.scoring;

import io.tradeanomaly.common.record.RecordRejectedException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * How a key's records are scored ({@code detector.method}): the strategy behind every model of a detector. KDA's
 * setup and the calibrated default are two of them; the rest of the detector (keys, batches, snapshots, publishing)
 * is the same for every method. Implementations are immutable and thread-safe; their models are not.
 */
public interface DetectionMethod {

    /** A new model for one key, its randomness seeded. */
    KeyModel newModel(long seed);

    /**
     * Checks that this method can score a record with these features (e.g. a method that reads features on a log scale
     * cannot take zero); the record is dead-lettered with the reason when it cannot.
     *
     * @throws RecordRejectedException saying why it cannot
     */
    default void check(double[] features) {}

    /**
     * The settings and constants that shape a model's state, as property names and values: a snapshot taken under
     * other ones is refused, since the model restored would not be the one the settings describe.
     */
    Map<String, String> shaping();

    /** Writes a model of this method (everything but the header {@link ModelCodec} writes). */
    void write(KeyModel model, DataOutputStream out) throws IOException;

    /** Reads a model of this method written by {@link #write}; an {@link IOException} when it is damaged. */
    KeyModel read(DataInputStream in) throws IOException;
}
