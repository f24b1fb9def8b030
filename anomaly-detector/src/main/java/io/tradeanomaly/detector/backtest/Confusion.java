package io.tradeanomaly.detector.backtest;

import java.util.LinkedHashMap;
import java.util.Map;

/** Confusion counts against the simulator's {@code injected} labels, and the figures derived from them. */
final class Confusion {

    long truePositives;
    long falsePositives;
    long falseNegatives;
    long trueNegatives;

    void add(boolean flagged, boolean injected) {
        if (flagged && injected) {
            truePositives++;
        } else if (flagged) {
            falsePositives++;
        } else if (injected) {
            falseNegatives++;
        } else {
            trueNegatives++;
        }
    }

    long records() {
        return truePositives + falsePositives + falseNegatives + trueNegatives;
    }

    double precision() {
        long flagged = truePositives + falsePositives;
        return flagged == 0 ? 0 : (double) truePositives / flagged;
    }

    double recall() {
        long positives = truePositives + falseNegatives;
        return positives == 0 ? 0 : (double) truePositives / positives;
    }

    double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("truePositives", truePositives);
        map.put("falsePositives", falsePositives);
        map.put("falseNegatives", falseNegatives);
        map.put("precision", round(precision()));
        map.put("recall", round(recall()));
        map.put("f1", round(f1()));
        return map;
    }

    static double round(double value) {
        return Math.round(value * 10000) / 10000.0;
    }
}
