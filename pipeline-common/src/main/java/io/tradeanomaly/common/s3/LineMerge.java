package io.tradeanomaly.common.s3;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The union of two sets of lines by identity, purely: what an object must hold so that neither what it held nor what
 * is being written is lost, and no identity is there twice. The stored lines come first, in their order, then the
 * new ones it lacks, in theirs.
 */
public final class LineMerge {

    private LineMerge() {}

    /**
     * @return the merged lines, or null when the stored lines already hold every identity of the new ones
     */
    public static List<byte[]> union(List<byte[]> stored, List<byte[]> lines, Function<byte[], String> identity) {
        Set<String> present = new HashSet<>();
        List<byte[]> merged = new ArrayList<>(stored.size() + lines.size());
        for (byte[] line : stored) {
            if (present.add(identity.apply(line))) {
                merged.add(line);
            }
        }
        int before = merged.size();
        for (byte[] line : lines) {
            if (present.add(identity.apply(line))) {
                merged.add(line);
            }
        }
        return merged.size() == before && before == stored.size() ? null : merged;
    }

    /** Splits newline-delimited content into its non-empty lines. */
    public static List<byte[]> lines(byte[] body) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                if (i > start) {
                    byte[] line = new byte[i - start];
                    System.arraycopy(body, start, line, 0, line.length);
                    lines.add(line);
                }
                start = i + 1;
            }
        }
        return lines;
    }

    /** Joins lines, each followed by a newline. */
    public static byte[] join(List<byte[]> lines) {
        int size = 0;
        for (byte[] line : lines) {
            size += line.length + 1;
        }
        byte[] body = new byte[size];
        int at = 0;
        for (byte[] line : lines) {
            System.arraycopy(line, 0, body, at, line.length);
            at += line.length;
            body[at++] = '\n';
        }
        return body;
    }
}
