package io.tradeanomaly.detector.quality;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** The README's quality table: per workload and rate, the worst precision and recall over the seeds, per setup. */
final class QualityTable {

    private QualityTable() {}

    static String markdown(List<Cell> cells, double[] rates) {
        StringBuilder out = new StringBuilder();
        out.append("| workload | outlier rate | default P / R (worst of seeds) | KDA P / R (worst of seeds) |\n");
        out.append("| --- | --- | --- | --- |\n");
        Map<Workload, List<Cell>> byWorkload = cells.stream()
                .collect(Collectors.groupingBy(Cell::workload, java.util.LinkedHashMap::new, Collectors.toList()));
        byWorkload.forEach((workload, list) -> {
            for (double rate : rates) {
                List<Cell> atRate = list.stream().filter(c -> c.rate() == rate).toList();
                out.append(String.format(
                        "| %s | %s %% | %s | %s |%n",
                        workload.shape().description() + "; "
                                + workload.outliers().describe(),
                        fmtRate(rate),
                        worst(atRate, "default"),
                        worst(atRate, "kda")));
            }
        });
        return out.toString();
    }

    private static String worst(List<Cell> cells, String setup) {
        List<Cell> mine = cells.stream().filter(c -> c.setup().equals(setup)).toList();
        if (mine.isEmpty()) {
            return "—";
        }
        return String.format("%.3f / %.3f", min(mine, Cell::precision), min(mine, Cell::recall));
    }

    private static double min(List<Cell> cells, ToDoubleFunction<Cell> figure) {
        return cells.stream().mapToDouble(figure).min().orElse(Double.NaN);
    }

    private static String fmtRate(double rate) {
        double percent = rate * 100;
        return percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent);
    }
}
