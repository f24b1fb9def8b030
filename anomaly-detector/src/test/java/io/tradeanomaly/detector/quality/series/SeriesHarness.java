package io.tradeanomaly.detector.quality.series;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.openjdk.jol.info.GraphLayout;

/**
 * Runs methods over generated corpora and prints one table per corpus: each method's scores under that corpus's
 * scorer, and its throughput (records per CPU second, one core) and memory per model.
 *
 * <pre>
 * SeriesHarness [--seeds=1,2] [--held-out] [--size=1] [--threads=2] [--corpora=single,sensor,kpi,server]
 *               [--methods=default;kda;calibrated-as-trades;zscore;...]
 * </pre>
 */
public final class SeriesHarness {

    /** One method's run over one corpus: its scores and verdicts per series, and what it cost. */
    public record Run(
            String method,
            Corpus corpus,
            List<double[]> scores,
            List<boolean[]> verdicts,
            long records,
            long cpuNanos,
            long bytesPerModel) {

        double recordsPerSecond() {
            return cpuNanos == 0 ? 0 : records * 1e9 / cpuNanos;
        }
    }

    static {
        // JOL cannot read field offsets of records (models hold some) without this
        System.setProperty("jol.magicFieldOffset", "true");
    }

    private SeriesHarness() {}

    /** Runs one method over every series of a corpus, series in parallel on {@code pool} (each key by one thread). */
    public static Run run(SeriesMethod.Factory method, Corpus corpus, ExecutorService pool) throws Exception {
        List<Future<Object[]>> futures = new ArrayList<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (LabelledSeries series : corpus.series()) {
            futures.add(pool.submit(() -> {
                SeriesMethod model = method.create(series, seedOf(series.key()));
                int n = series.length();
                double[] scores = new double[n];
                boolean[] verdicts = new boolean[n];
                long records = 0;
                long start = threads.getCurrentThreadCpuTime();
                for (int t = 0; t < n; t++) {
                    if (series.missing(t)) {
                        continue; // dead-lettered: never reaches the model
                    }
                    SeriesMethod.Scored scored = model.score(series.values()[t], series.times()[t]);
                    scores[t] = scored.score();
                    verdicts[t] = scored.anomaly();
                    records++;
                }
                long cpu = threads.getCurrentThreadCpuTime() - start;
                return new Object[] {scores, verdicts, records, cpu, model};
            }));
        }
        List<double[]> scores = new ArrayList<>();
        List<boolean[]> verdicts = new ArrayList<>();
        long records = 0;
        long cpu = 0;
        long bytes = -1;
        for (Future<Object[]> f : futures) {
            Object[] r = f.get();
            scores.add((double[]) r[0]);
            verdicts.add((boolean[]) r[1]);
            records += (long) r[2];
            cpu += (long) r[3];
            if (bytes < 0) {
                // the heap a model holds after a whole series (its samples full), measured once per run
                bytes = GraphLayout.parseInstance(r[4]).totalSize();
            }
        }
        return new Run(method.name(), corpus, scores, verdicts, records, cpu, bytes);
    }

    static long seedOf(String key) {
        return key.hashCode() * 0x9E3779B97F4A7C15L + 42;
    }

    /** The figures of one run under its corpus's scorer, by column name. */
    public static Map<String, Double> figures(Run run) {
        Map<String, Double> f = new LinkedHashMap<>();
        List<LabelledSeries> series = run.corpus().series();
        switch (run.corpus().scoring()) {
            case WINDOWED -> {
                List<boolean[]> labels =
                        series.stream().map(LabelledSeries::labels).toList();
                for (WindowedScorer.Profile profile : WindowedScorer.PROFILES) {
                    WindowedScorer.Result r = WindowedScorer.score(labels, run.scores(), run.verdicts(), profile);
                    f.put(profile.name() + " best", r.bestCut());
                    f.put(profile.name() + " verdicts", r.verdicts());
                }
            }
            case SENSOR_RUNS -> {
                PointwiseScorer.Result r = PointwiseScorer.score(series, run.scores(), run.verdicts());
                f.put("F1", r.f1());
                f.put("FAR", r.falseAlarmRate());
                f.put("precision", r.precision());
                f.put("recall", r.recall());
                f.put("best-cut F1", r.bestCutF1());
            }
            case POINTWISE -> {
                PointwiseScorer.Result r = PointwiseScorer.score(series, run.scores(), run.verdicts());
                f.put("best-cut F1", r.bestCutF1());
                f.put("verdicts F1", r.f1());
                f.put("FAR", r.falseAlarmRate());
            }
        }
        f.put("records/s", run.recordsPerSecond());
        f.put("KB/model", run.bytesPerModel() / 1024.0);
        return f;
    }

    public static void main(String[] args) throws Exception {
        List<Long> seeds = List.of(1L);
        boolean heldOut = false;
        boolean detail = false;
        String plot = null;
        double size = 1;
        int threads = 2;
        List<String> corpora = List.of("single", "sensor", "kpi", "server");
        List<String> methods = List.of("default", "kda", "calibrated-as-trades", "zscore");
        for (String arg : args) {
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
            if (arg.startsWith("--seeds=")) {
                seeds = Arrays.stream(value.split(",")).map(Long::parseLong).toList();
            } else if (arg.startsWith("--plot=")) {
                plot = value; // a folder: every series of every run is drawn with its scores
            } else if (arg.equals("--detail")) {
                detail = true;
            } else if (arg.equals("--held-out")) {
                heldOut = true;
            } else if (arg.startsWith("--size=")) {
                size = Double.parseDouble(value);
            } else if (arg.startsWith("--threads=")) {
                threads = Integer.parseInt(value);
            } else if (arg.startsWith("--corpora=")) {
                corpora = List.of(value.split(","));
            } else if (arg.startsWith("--methods=")) {
                methods = List.of(value.split(";"));
            } else {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (String which : corpora) {
                for (long seed : seeds) {
                    Corpus corpus = corpus(which, seed, heldOut, size);
                    System.out.printf(
                            "%n### %s (%d series, %,d records)%n%n",
                            corpus.name(), corpus.series().size(), corpus.records());
                    boolean header = true;
                    StringBuilder details = new StringBuilder();
                    for (String spec : methods) {
                        Run run = run(Methods.byName(spec), corpus, pool);
                        Map<String, Double> figures = figures(run);
                        if (header) {
                            System.out.println("| method | " + String.join(" | ", figures.keySet()) + " |");
                            System.out.println("| --- |" + " ---: |".repeat(figures.size()));
                            header = false;
                        }
                        StringBuilder line = new StringBuilder("| " + spec + " |");
                        figures.forEach(
                                (k, v) -> line.append(' ').append(format(k, v)).append(" |"));
                        System.out.println(line);
                        if (plot != null) {
                            java.nio.file.Path dir = java.nio.file.Path.of(plot);
                            java.nio.file.Files.createDirectories(dir);
                            for (int i = 0; i < corpus.series().size(); i++) {
                                LabelledSeries x = corpus.series().get(i);
                                SeriesPlot.write(
                                        x,
                                        run.scores().get(i),
                                        run.verdicts().get(i),
                                        dir.resolve(spec.replaceAll("[^a-zA-Z0-9=.-]", "_") + "-" + x.key() + ".png"));
                            }
                        }
                        if (detail) {
                            details.append(calibration(run));
                            details.append(
                                    corpus.scoring() == LabelledSeries.Scoring.WINDOWED
                                            ? WindowedDetail.of(run)
                                            : PointwiseDetail.of(run));
                        }
                    }
                    System.out.print(details);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * For a score in decades: the share of normal records (away from every labelled anomaly) scoring at least 2, 3, ...
     * 8, against the 10^-s a calibrated surprise would give.
     */
    static String calibration(Run run) {
        long[] above = new long[9];
        long normal = 0;
        for (int s = 0; s < run.corpus().series().size(); s++) {
            LabelledSeries x = run.corpus().series().get(s);
            boolean[] near = new boolean[x.length()];
            for (LabelledSeries.Anomaly a : x.anomalies()) {
                int end = Math.min(x.length(), Math.max(a.end(), a.start() + 1) + 200);
                for (int t = Math.max(0, a.start() - 200); t < end; t++) {
                    near[t] = true;
                }
            }
            for (int t = Math.max(x.scoredFrom(), x.length() / 5); t < x.length(); t++) {
                if (near[t] || x.missing(t)) {
                    continue;
                }
                normal++;
                for (int k = 2; k <= 8; k++) {
                    if (run.scores().get(s)[t] >= k) {
                        above[k]++;
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder("  " + run.method() + " normal records scoring >= 2..8:");
        for (int k = 2; k <= 8; k++) {
            out.append(String.format(Locale.ROOT, " %.1e", above[k] / (double) Math.max(1, normal)));
        }
        return out.append('\n').toString();
    }

    static Corpus corpus(String which, long seed, boolean heldOut, double size) {
        return switch (which) {
            case "single" -> Corpora.singleValue(seed, heldOut, count(Corpora.SINGLE_VALUE, size));
            case "sensor" -> Corpora.sensorRuns(seed, heldOut, count(Corpora.SENSOR_RUNS, size));
            case "kpi" -> Corpora.kpis(seed, heldOut, count(Corpora.KPIS, size));
            case "server" -> Corpora.servers(seed, heldOut, count(Corpora.SERVERS, size));
            default -> throw new IllegalArgumentException("unknown corpus " + which);
        };
    }

    private static int count(int full, double size) {
        return Math.max(2, (int) Math.round(full * size));
    }

    private static String format(String column, double v) {
        if (column.equals("records/s") || column.equals("KB/model")) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (column.contains("best") && !column.contains("F1")
                || column.contains("verdicts") && !column.contains("F1")) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
