package io.tradeanomaly.detector.scoring;

import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.detector.TestSettings;
import io.tradeanomaly.detector.quality.OutlierKind;
import io.tradeanomaly.detector.quality.Shape;
import io.tradeanomaly.detector.quality.Workload;
import io.tradeanomaly.detector.quality.WorkloadGenerator;
import java.util.Map;

/** Scratch diagnostics (not committed). */
public class ProtoDiag2 {
    public static void main(String[] args) {
        Workload w = new Workload(Shape.valueOf(args[0]), OutlierKind.valueOf(args[1]));
        double rate = Double.parseDouble(args[2]);
        String ticker = args.length > 3 ? args[3] : "T01";
        ScoringSettings s = TestSettings.with(Map.of("detector.features", "proto2"));
        AnomalyModel m = new AnomalyModel(s, s.seed() ^ ticker.hashCode() * 0x9E3779B97F4A7C15L);
        int n = 0;
        for (WorkloadGenerator.Generated g : WorkloadGenerator.of(w, rate, 1, 50000)) {
            Trade t = g.trade();
            if (!t.tickerSymbol().equals(ticker)) continue;
            ProtoModel2 p = m.proto2();
            double up = p == null || !p.price.locationReady() ? 0 : p.price.standardize(Math.log(t.price()));
            double uq = p == null || !p.quantity.locationReady() ? 0 : p.quantity.standardize(Math.log(t.quantity()));
            double cp = p == null || !p.booted ? 0 : p.price.score(up);
            double cq = p == null || !p.booted ? 0 : p.quantity.score(uq);
            Verdict v = m.scoreAndUpdate(t.tickerSymbol(), t.price(), t.quantity(), s);
            n++;
            p = m.proto2();
            if (n % 100 == 0
                    || (t.isInjected() && n < Integer.getInteger("upto", 0))
                    || (t.isInjected() != v.anomaly() && !v.warmingUp())) {
                System.out.printf(
                        "%5d %s p=%9.2f q=%6d f=%.2f/%.1f u=(%6.2f,%6.2f) c=(%6.2f,%6.2f) score=%.3f cut=%.3f %s%s lvl=%.2f sc=%.4f refN=%d%n",
                        n,
                        v.warmingUp() ? "W" : " ",
                        t.price(),
                        t.quantity(),
                        g.priceFactor(),
                        g.quantityFactor(),
                        up,
                        uq,
                        cp,
                        cq,
                        v.score(),
                        p.cutoff,
                        v.anomaly() ? "ANOM" : "norm",
                        t.isInjected() ? " INJ" : "",
                        Math.exp(p.price.level()),
                        p.price.scale(),
                        p.price.reference.size());
            }
        }
    }
}
