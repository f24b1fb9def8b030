package io.tradeanomaly.detector.quality.series;

import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.detector.TestSettings;
import io.tradeanomaly.detector.quality.Cell;
import io.tradeanomaly.detector.quality.OutlierKind;
import io.tradeanomaly.detector.quality.QualityMatrix;
import io.tradeanomaly.detector.quality.Shape;
import io.tradeanomaly.detector.quality.Spearman;
import io.tradeanomaly.detector.quality.Workload;
import io.tradeanomaly.detector.quality.WorkloadGenerator;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The trade quality matrix's cells for a per-key series method: each workload of {@link QualityMatrix} at 1, 5 and 10
 * % outliers, one model per ticker fed (price, quantity), figures after each ticker's first 256 trades, against the
 * matrix's targets (precision 0.98, recall 0.99 where the outliers are separable, never more than 0.01 below KDA's
 * setup) and the calibrated method (the trades' default). {@code TradeCheck [--trades=20000] [--seed=1] [--methods=...]}
 */
public final class TradeCheck {

    static final int OUTPUT_AFTER = 256;

    private TradeCheck() {}

    /** {precision, recall, Spearman of score and price factor} of one cell. */
    static double[] run(SeriesMethod.Factory method, Workload workload, double rate, long seed, long trades) {
        LabelledSeries shape = new LabelledSeries(
                "trades",
                "trades",
                new String[] {"price", "quantity"},
                new long[0],
                new double[0][],
                new boolean[0],
                0,
                List.of());
        Map<String, SeriesMethod> models = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        long tp = 0;
        long fp = 0;
        long fn = 0;
        List<double[]> outliers = new ArrayList<>();
        for (WorkloadGenerator.Generated g : WorkloadGenerator.of(workload, rate, seed, trades)) {
            Trade trade = g.trade();
            SeriesMethod model =
                    models.computeIfAbsent(trade.tickerSymbol(), k -> method.create(shape, SeriesHarness.seedOf(k)));
            SeriesMethod.Scored scored = model.score(
                    new double[] {trade.price(), trade.quantity()},
                    trade.tradeTime().toEpochMilli());
            if (seen.merge(trade.tickerSymbol(), 1, Integer::sum) <= OUTPUT_AFTER) {
                continue;
            }
            if (trade.isInjected()) {
                outliers.add(new double[] {scored.score(), g.priceFactor()});
                if (scored.anomaly()) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (scored.anomaly()) {
                fp++;
            }
        }
        double spearman = Spearman.of(
                outliers.stream().mapToDouble(o -> o[0]).toArray(),
                outliers.stream().mapToDouble(o -> o[1]).toArray());
        return new double[] {
            tp + fp == 0 ? 0 : tp / (double) (tp + fp), tp + fn == 0 ? 0 : tp / (double) (tp + fn), spearman
        };
    }

    public static void main(String[] args) throws Exception {
        long trades = 20_000;
        long seed = 1;
        List<String> methods = List.of("surprise");
        List<String> only = List.of();
        boolean baselines = true;
        for (String arg : args) {
            String value = arg.substring(arg.indexOf('=') + 1);
            if (arg.startsWith("--trades=")) {
                trades = Long.parseLong(value);
            } else if (arg.startsWith("--seed=")) {
                seed = Long.parseLong(value);
            } else if (arg.equals("--no-baselines")) {
                baselines = false;
            } else if (arg.startsWith("--only=")) {
                only = List.of(value.split(","));
            } else if (arg.startsWith("--methods=")) {
                methods = List.of(value.split(";"));
            }
        }
        double[] rates = {0.01, 0.05, 0.10};
        ExecutorService pool = Executors.newFixedThreadPool(2);
        long n = trades;
        boolean withBaselines = baselines;
        long s = seed;
        try {
            System.out.println(
                    "| workload | rate | calibrated P / R | KDA P / R | " + String.join(" | ", methods) + " |");
            System.out.println("| --- | --- | --- | --- |" + " --- |".repeat(methods.size()));
            List<Future<String>> lines = new ArrayList<>();
            for (Workload workload : QualityMatrix.workloads()) {
                if (!only.isEmpty() && only.stream().noneMatch(workload.name()::contains)) {
                    continue;
                }
                for (double rate : rates) {
                    List<String> specs = methods;
                    lines.add(pool.submit(() -> {
                        Cell today = withBaselines
                                ? QualityMatrix.run(workload, rate, s, n, "default", TestSettings.perTicker())
                                : new Cell(workload, rate, s, "default", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
                        Cell kda = withBaselines
                                ? QualityMatrix.run(workload, rate, s, n, "kda", ScoringSettings.kda())
                                : new Cell(workload, rate, s, "kda", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
                        StringBuilder line = new StringBuilder(String.format(
                                Locale.ROOT,
                                "| %s | %.0f %% | %.3f / %.3f | %.3f / %.3f |",
                                workload.name(),
                                rate * 100,
                                today.precision(),
                                today.recall(),
                                kda.precision(),
                                kda.recall()));
                        for (String spec : specs) {
                            double[] r = run(Methods.byName(spec), workload, rate, s, n);
                            boolean miss = r[0] < 0.98
                                    || r[0] < kda.precision() - 0.01
                                    || (workload.separable() && r[1] < 0.99)
                                    || r[1] < kda.recall() - 0.01;
                            line.append(String.format(Locale.ROOT, " %s%.3f / %.3f |", miss ? "**" : "", r[0], r[1]));
                        }
                        return line.toString();
                    }));
                }
            }
            for (Future<String> line : lines) {
                System.out.println(line.get());
            }
            for (Shape shape : List.of(Shape.TIGHT, Shape.NOISE_2PCT)) {
                for (String spec : methods) {
                    double[] r = run(Methods.byName(spec), new Workload(shape, OutlierKind.PRICE_RANGE), 0.05, s, n);
                    System.out.printf(Locale.ROOT, "Spearman(score, price factor) %s %s: %.3f%n", shape, spec, r[2]);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
