package io.tradeanomaly.detector.quality;

/**
 * The figures of one backtest of the quality matrix, after each ticker's first {@code outputAfter} trades.
 *
 * @param workload the workload
 * @param rate the outlier rate
 * @param seed the generator's seed
 * @param setup the name of the detector settings
 * @param precision flagged outliers / flagged trades
 * @param recall flagged outliers / outliers
 * @param falsePositives normal trades flagged
 * @param falseNegatives outliers missed
 * @param outliers outliers scored
 * @param spearmanPrice rank correlation of the outliers' scores with their price factor
 * @param spearmanQuantity rank correlation of the outliers' scores with their quantity factor
 * @param spearmanBoth rank correlation of the outliers' scores with the product of both factors
 * @param spearmanStrength on a workload where one factor varies, rank correlation of that feature's STRENGTH in the
 *     explanation (0 for an outlier not flagged) with that factor; NaN on the others
 * @param recordsPerSecond scoring throughput of the run
 */
public record Cell(
        Workload workload,
        double rate,
        long seed,
        String setup,
        double precision,
        double recall,
        long falsePositives,
        long falseNegatives,
        long outliers,
        double spearmanPrice,
        double spearmanQuantity,
        double spearmanBoth,
        double spearmanStrength,
        long recordsPerSecond) {}
