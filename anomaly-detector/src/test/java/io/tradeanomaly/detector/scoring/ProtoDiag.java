package io.tradeanomaly.detector.scoring;

import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.detector.TestSettings;
import io.tradeanomaly.detector.quality.OutlierKind;
import io.tradeanomaly.detector.quality.Shape;
import io.tradeanomaly.detector.quality.Workload;
import io.tradeanomaly.detector.quality.WorkloadGenerator;
import java.util.Map;

/** Scratch diagnostics (not committed). */
public class ProtoDiag {
    public static void main(String[] args) {
        Workload w = new Workload(Shape.valueOf(args[0]), OutlierKind.valueOf(args[1]));
        double rate = Double.parseDouble(args[2]);
        ScoringSettings s = TestSettings.with(Map.of("detector.features", "proto"));
        AnomalyModel m = new AnomalyModel(s, 7);
        int n = 0;
        for (WorkloadGenerator.Generated g : WorkloadGenerator.of(w, rate, 1, 50000)) {
            Trade t = g.trade();
            if (!t.tickerSymbol().equals("T01")) continue;
            Verdict v = m.scoreAndUpdate(t.tickerSymbol(), t.price(), t.quantity(), s);
            n++;
            ProtoModel p = m.proto();
            if (n % 50 == 0 || (t.isInjected() != v.anomaly() && !v.warmingUp())) {
                System.out.printf(
                        "%5d %s p=%.2f q=%d score=%.3f cut=%.3f anomaly=%s injected=%s pscale=%.5f qscale=%.3f%n",
                        n,
                        v.warmingUp() ? "W" : " ",
                        t.price(),
                        t.quantity(),
                        v.score(),
                        p.cutoff,
                        v.anomaly(),
                        t.isInjected(),
                        p.price.scale(),
                        p.quantity.scale());
            }
        }
    }
}
