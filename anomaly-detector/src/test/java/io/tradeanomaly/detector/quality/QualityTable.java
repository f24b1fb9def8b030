package io.tradeanomaly.detector.quality;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** The quality tables of docs/detector.md: precision and recall per workload and rate (worst of the seeds), and ranking. */
final class QualityTable {

    private QualityTable() {}

    static String markdown(List<Cell> cells, double[] rates) {
        StringBuilder out = new StringBuilder();
        out.append("| normal trades | outliers | rate | default P / R | KDA P / R |\n");
        out.append("| --- | --- | --- | --- | --- |\n");
        Map<Workload, List<Cell>> byWorkload = cells.stream()
                .filter(c -> QualityMatrix.workloads().contains(c.workload()))
                .collect(Collectors.groupingBy(Cell::workload, LinkedHashMap::new, Collectors.toList()));
        byWorkload.forEach((workload, list) -> {
            for (double rate : rates) {
                List<Cell> atRate = list.stream().filter(c -> c.rate() == rate).toList();
                out.append(String.format(
                        "| %s | %s%s | %s %% | %s | %s |%n",
                        workload.shape().description(),
                        workload.outliers().describe(),
                        workload.separable()
                                ? ""
                                : " (some outliers are normal trades: recall 0.99 out of reach, see below)",
                        percent(rate),
                        worst(atRate, "default", Cell::precision, Cell::recall),
                        worst(atRate, "kda", Cell::precision, Cell::recall)));
            }
        });
        List<Cell> ranking = cells.stream()
                .filter(c -> !QualityMatrix.workloads().contains(c.workload()))
                .toList();
        if (!ranking.isEmpty()) {
            out.append("\n| normal trades | one factor varies | Spearman(score, that factor), default | KDA "
                    + "| Spearman(that feature's STRENGTH, that factor), default |\n");
            out.append("| --- | --- | --- | --- | --- |\n");
            Map<Workload, List<Cell>> byRanking = ranking.stream()
                    .collect(Collectors.groupingBy(Cell::workload, LinkedHashMap::new, Collectors.toList()));
            byRanking.forEach((workload, list) -> {
                boolean price = workload.outliers() == OutlierKind.PRICE_RANGE;
                ToDoubleFunction<Cell> rho = price ? Cell::spearmanPrice : Cell::spearmanQuantity;
                out.append(String.format(
                        "| %s | %s | %s | %s | %s |%n",
                        workload.shape().description(),
                        workload.outliers().describe(),
                        range(list, "default", rho),
                        range(list, "kda", rho),
                        range(list, "default", Cell::spearmanStrength)));
            });
        }
        return out.toString();
    }

    private static String worst(
            List<Cell> cells, String setup, ToDoubleFunction<Cell> first, ToDoubleFunction<Cell> second) {
        List<Cell> mine = cells.stream().filter(c -> c.setup().equals(setup)).toList();
        if (mine.isEmpty()) {
            return "—";
        }
        return String.format("%.3f / %.3f", min(mine, first), min(mine, second));
    }

    private static String range(List<Cell> cells, String setup, ToDoubleFunction<Cell> figure) {
        List<Cell> mine = cells.stream().filter(c -> c.setup().equals(setup)).toList();
        if (mine.isEmpty()) {
            return "—";
        }
        double low = min(mine, figure);
        double high = mine.stream().mapToDouble(figure).max().orElse(Double.NaN);
        return low == high ? String.format("%.2f", low) : String.format("%.2f–%.2f", low, high);
    }

    private static double min(List<Cell> cells, ToDoubleFunction<Cell> figure) {
        return cells.stream().mapToDouble(figure).min().orElse(Double.NaN);
    }

    private static String percent(double rate) {
        double percent = rate * 100;
        return percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent);
    }
}
