package io.tradeanomaly.detector.scoring;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The fields of a model snapshot's body as the methods write them (each array its length, then its values) and read
 * them back, refusing what a damaged snapshot holds: a negative or huge length, a length other than the one expected,
 * a value that is not finite (an {@link IOException}: the snapshot is refused).
 */
final class SnapshotFields {

    private SnapshotFields() {}

    static int length(DataInputStream in, int max) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > max) {
            throw new IOException("bad length " + length);
        }
        return length;
    }

    static int exactly(DataInputStream in, int expected) throws IOException {
        int length = in.readInt();
        if (length != expected) {
            throw new IOException("expected " + expected + " values, found " + length);
        }
        return length;
    }

    static void writeMatrix(DataOutputStream out, double[][] rows) throws IOException {
        out.writeInt(rows.length);
        for (double[] row : rows) {
            writeDoubles(out, row);
        }
    }

    /** Rows of doubles; each row {@code width} long, or any length when width is negative. */
    static double[][] readMatrix(DataInputStream in, int width) throws IOException {
        double[][] rows = new double[length(in, 1_000_000)][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = readDoubles(in, width);
        }
        return rows;
    }

    static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values.length);
        for (double value : values) {
            out.writeDouble(value);
        }
    }

    /** Doubles, all finite, any number of them (at most a million). */
    static double[] readDoubles(DataInputStream in) throws IOException {
        return readDoubles(in, -1);
    }

    /** Doubles, all finite; exactly {@code width} of them, or any number when width is negative. */
    static double[] readDoubles(DataInputStream in, int width) throws IOException {
        double[] values = new double[width < 0 ? length(in, 1_000_000) : exactly(in, width)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readDouble();
            if (!Double.isFinite(values[i])) {
                throw new IOException("non-finite value in snapshot");
            }
        }
        return values;
    }

    static void writeInts(DataOutputStream out, int[] values) throws IOException {
        out.writeInt(values.length);
        for (int value : values) {
            out.writeInt(value);
        }
    }

    static int[] readInts(DataInputStream in, int width) throws IOException {
        int[] values = new int[exactly(in, width)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readInt();
        }
        return values;
    }

    static void writeBooleans(DataOutputStream out, boolean[] values) throws IOException {
        out.writeInt(values.length);
        for (boolean value : values) {
            out.writeBoolean(value);
        }
    }

    static boolean[] readBooleans(DataInputStream in, int width) throws IOException {
        boolean[] values = new boolean[exactly(in, width)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readBoolean();
        }
        return values;
    }
}
