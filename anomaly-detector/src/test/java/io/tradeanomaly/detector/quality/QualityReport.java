package io.tradeanomaly.detector.quality;

import io.tradeanomaly.detector.TestSettings;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The full quality matrix ({@code bench/quality.sh}): every workload x outlier rate x seed, with the defaults and with
 * KDA's setup, one backtest per cell on a pool of threads; prints each cell as it finishes and then the tables of docs/detector.md.
 *
 * <p>Options: {@code --trades=N} (200000), {@code --seeds=1,2,3}, {@code --rates=0.01,0.05,0.1}, {@code
 * --threads=2}, {@code --workloads=tight/gross,...} (all, plus the severity-ranking workloads at 5 %), {@code
 * --setups=default,kda}, and {@code --detector.*=...} properties that change the default setup. Progress goes to
 * stderr, the tables to stdout.
 */
public final class QualityReport {

    private QualityReport() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        Map<String, String> detector = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (arg.startsWith("--detector.")) {
                detector.put(kv[0].substring(2), kv[1]);
            } else {
                options.put(kv[0], kv.length > 1 ? kv[1] : "true");
            }
        }
        long trades = Long.parseLong(options.getOrDefault("--trades", "200000"));
        long[] seeds = Arrays.stream(options.getOrDefault("--seeds", "1,2,3").split(","))
                .mapToLong(Long::parseLong)
                .toArray();
        double[] rates = Arrays.stream(
                        options.getOrDefault("--rates", "0.01,0.05,0.1").split(","))
                .mapToDouble(Double::parseDouble)
                .toArray();
        List<String> names = List.of(options.getOrDefault("--workloads", "all").split(","));
        List<Workload> all = new ArrayList<>(QualityMatrix.workloads());
        all.addAll(QualityMatrix.rankings());
        List<Workload> workloads = all.stream()
                .filter(w -> names.contains("all") || names.contains(w.name()))
                .toList();
        Map<String, ScoringSettings> setups = new LinkedHashMap<>();
        for (String setup : options.getOrDefault("--setups", "default,kda").split(",")) {
            setups.put(setup, setup.equals("kda") ? ScoringSettings.kda() : TestSettings.with(detector));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Integer.parseInt(options.getOrDefault("--threads", "2")));
        List<Future<Cell>> running = new ArrayList<>();
        for (Workload workload : workloads) {
            boolean ranking = !QualityMatrix.workloads().contains(workload);
            for (double rate : ranking ? new double[] {0.05} : rates) {
                for (long seed : seeds) {
                    setups.forEach((name, settings) -> running.add(pool.submit(() -> {
                        Cell cell = QualityMatrix.run(workload, rate, seed, trades, name, settings);
                        System.err.println(line(cell));
                        return cell;
                    })));
                }
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (Future<Cell> cell : running) {
            cells.add(cell.get());
        }
        pool.shutdown();
        System.out.print(QualityTable.markdown(cells, rates));
    }

    static String line(Cell c) {
        return String.format(
                "%-22s %5.2f seed %d %-8s P %.4f R %.4f fp %4d fn %4d of %5d  rho(p) %.3f rho(q) %.3f rho(pq) %.3f rho(strength) %.3f  %,d/s",
                c.workload().name(),
                c.rate(),
                c.seed(),
                c.setup(),
                c.precision(),
                c.recall(),
                c.falsePositives(),
                c.falseNegatives(),
                c.outliers(),
                c.spearmanPrice(),
                c.spearmanQuantity(),
                c.spearmanBoth(),
                c.spearmanStrength(),
                c.recordsPerSecond());
    }
}
