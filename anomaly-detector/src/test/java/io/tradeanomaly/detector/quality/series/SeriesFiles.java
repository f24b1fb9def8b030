package io.tradeanomaly.detector.quality.series;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes labelled series as files the {@code backtest} command reads: JSON lines ({@code {"time": ISO-8601, "key":
 * ..., <feature>: value, ..., "label": 0|1}}, a missing value as {@code null}) or CSV with a header ({@code
 * time,key,<features...>,label}, a missing value empty). One file per series, in time order.
 */
public final class SeriesFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SeriesFiles() {}

    public static void writeJsonLines(LabelledSeries series, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int t = 0; t < series.length(); t++) {
                ObjectNode line = JSON.createObjectNode();
                line.put("time", Instant.ofEpochMilli(series.times()[t]).toString());
                line.put("key", series.key());
                for (int i = 0; i < series.dimensions(); i++) {
                    double v = series.values()[t][i];
                    if (Double.isNaN(v)) {
                        line.putNull(series.featureNames()[i]);
                    } else {
                        line.put(series.featureNames()[i], v);
                    }
                }
                line.put("label", series.labels()[t] ? 1 : 0);
                out.write(JSON.writeValueAsString(line));
                out.write('\n');
            }
        }
    }

    public static void writeCsv(LabelledSeries series, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("time,key");
            for (String name : series.featureNames()) {
                out.write(',');
                out.write(csv(name));
            }
            out.write(",label\n");
            for (int t = 0; t < series.length(); t++) {
                out.write(Instant.ofEpochMilli(series.times()[t]).toString());
                out.write(',');
                out.write(csv(series.key()));
                for (int i = 0; i < series.dimensions(); i++) {
                    out.write(',');
                    double v = series.values()[t][i];
                    if (!Double.isNaN(v)) {
                        out.write(
                                v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v));
                    }
                }
                out.write(series.labels()[t] ? ",1\n" : ",0\n");
            }
        }
    }

    private static String csv(String field) {
        return field.contains(",") || field.contains("\"") ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    /**
     * Writes every series of the corpora, one file each, under {@code dir/<corpus>/<key>.<csv|jsonl>}: {@code
     * SeriesFiles <dir> [--seed=N] [--held-out] [--csv]}.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/series");
        long seed = 1;
        boolean heldOut = false;
        boolean csv = false;
        for (String arg : args) {
            if (arg.startsWith("--seed=")) {
                seed = Long.parseLong(arg.substring("--seed=".length()));
            } else if (arg.equals("--held-out")) {
                heldOut = true;
            } else if (arg.equals("--csv")) {
                csv = true;
            }
        }
        for (Corpus corpus : Corpora.all(seed, heldOut, 1)) {
            Path folder = dir.resolve(corpus.name().replace(' ', '-'));
            Files.createDirectories(folder);
            for (LabelledSeries series : corpus.series()) {
                if (csv) {
                    writeCsv(series, folder.resolve(series.key() + ".csv"));
                } else {
                    writeJsonLines(series, folder.resolve(series.key() + ".jsonl"));
                }
            }
            System.out.printf(
                    "%s: %d series, %,d records -> %s%n",
                    corpus.name(), corpus.series().size(), corpus.records(), folder);
        }
    }
}
