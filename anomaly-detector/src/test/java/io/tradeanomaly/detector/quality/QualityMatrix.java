package io.tradeanomaly.detector.quality;

import io.tradeanomaly.common.record.InputRecord;
import io.tradeanomaly.detector.TestTrades;
import io.tradeanomaly.detector.backtest.Backtest;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import io.tradeanomaly.detector.scoring.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Runs one cell of the quality matrix: a generated workload through the backtest, with figures after warm-up. */
public final class QualityMatrix {

    private QualityMatrix() {}

    /** Every workload of the matrix: each shape with gross and with subtle outliers. */
    public static List<Workload> workloads() {
        List<Workload> workloads = new ArrayList<>();
        for (OutlierKind kind : List.of(OutlierKind.GROSS, OutlierKind.SUBTLE)) {
            for (Shape shape : Shape.values()) {
                workloads.add(new Workload(shape, kind));
            }
        }
        return workloads;
    }

    /** The severity-ranking workloads: one factor varies, the other is fixed. */
    public static List<Workload> rankings() {
        List<Workload> workloads = new ArrayList<>();
        for (Shape shape : Shape.values()) {
            workloads.add(new Workload(shape, OutlierKind.PRICE_RANGE));
            workloads.add(new Workload(shape, OutlierKind.QUANTITY_RANGE));
        }
        return workloads;
    }

    public static Cell run(
            Workload workload, double rate, long seed, long trades, String setup, ScoringSettings settings) {
        Map<String, Integer> seen = new HashMap<>();
        // on a severity workload, the feature whose factor varies, and that factor's column in an outlier's row
        String varied = switch (workload.outliers()) {
            case PRICE_RANGE -> "price";
            case QUANTITY_RANGE -> "quantity";
            default -> null;
        };
        int variedFactor = workload.outliers() == OutlierKind.PRICE_RANGE ? 1 : 2;
        List<double[]> outliers = new ArrayList<>();
        long[] counts = new long[3]; // true positives, false positives, false negatives
        Map<InputRecord, double[]> factors = new IdentityHashMap<>();
        List<InputRecord> input = new ArrayList<>((int) trades);
        for (WorkloadGenerator.Generated generated : WorkloadGenerator.of(workload, rate, seed, trades)) {
            InputRecord record = TestTrades.scoringOnly(generated.trade());
            input.add(record);
            if (generated.trade().isInjected()) {
                factors.put(record, new double[] {generated.priceFactor(), generated.quantityFactor()});
            }
        }
        Map<String, Object> result = new Backtest(settings, null).run(input, (trade, verdict) -> {
            if (seen.merge(trade.key(), 1, Integer::sum) <= settings.outputAfter()) {
                return;
            }
            if (trade.isLabelled()) {
                double[] f = factors.get(trade);
                outliers.add(new double[] {verdict.score(), f[0], f[1], strength(verdict, varied)});
                counts[verdict.anomaly() ? 0 : 2]++;
            } else if (verdict.anomaly()) {
                counts[1]++;
            }
        });
        long tp = counts[0];
        long fp = counts[1];
        long fn = counts[2];
        double[] scores = outliers.stream().mapToDouble(o -> o[0]).toArray();
        return new Cell(
                workload,
                rate,
                seed,
                setup,
                tp + fp == 0 ? 0 : (double) tp / (tp + fp),
                tp + fn == 0 ? 0 : (double) tp / (tp + fn),
                fp,
                fn,
                tp + fn,
                Spearman.of(scores, outliers.stream().mapToDouble(o -> o[1]).toArray()),
                Spearman.of(scores, outliers.stream().mapToDouble(o -> o[2]).toArray()),
                Spearman.of(
                        scores, outliers.stream().mapToDouble(o -> o[1] * o[2]).toArray()),
                varied == null
                        ? Double.NaN
                        : Spearman.of(
                                outliers.stream().mapToDouble(o -> o[3]).toArray(),
                                outliers.stream()
                                        .mapToDouble(o -> o[variedFactor])
                                        .toArray()),
                ((Number) result.get("recordsPerSecond")).longValue());
    }

    /** How far out the feature is on its own, as the explanation reports it; 0 when the trade was not flagged. */
    private static double strength(Verdict verdict, String feature) {
        if (feature == null || verdict.explanation() == null) {
            return 0;
        }
        return verdict.explanation().get(feature).strength();
    }
}
