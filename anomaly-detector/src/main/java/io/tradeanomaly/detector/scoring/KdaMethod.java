package io.tradeanomaly.detector.scoring;

import com.amazon.randomcutforest.RandomCutForest;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exactly Kinesis Data Analytics' {@code RANDOM_CUT_FOREST_WITH_EXPLANATION(numberOfTrees, subSampleSize, timeDecay,
 * shingleSize, withDirectionality)} over the raw features: every record learnt, no score before the forest has seen
 * {@code outputAfter} records, anomalous above a fixed threshold ({@code WHERE ANOMALY_SCORE > 1} in the lab). Any
 * finite features, of any sign or scale: KDA scored whatever it was given.
 */
final class KdaMethod implements DetectionMethod {

    private final ScoringSettings settings;

    KdaMethod(ScoringSettings settings) {
        this.settings = settings;
    }

    @Override
    public KeyModel newModel(long seed) {
        return new KdaModel(newForest(settings, seed), settings);
    }

    static RandomCutForest newForest(ScoringSettings settings, long seed) {
        int shingle = settings.shingleSize();
        RandomCutForest.Builder<?> builder = RandomCutForest.builder()
                .dimensions(settings.dimensions() * shingle) // the features of `shingle` consecutive records
                .shingleSize(shingle); // KDA's shingleSize (1: each record on its own)
        if (shingle > 1) {
            builder.internalShinglingEnabled(true); // the forest keeps the last records itself
        }
        return builder.numberOfTrees(settings.numberOfTrees())
                .sampleSize(settings.sampleSize())
                .timeDecay(1.0 / settings.timeDecayWindow()) // KDA's timeDecay is a window; RCF wants the rate
                .outputAfter(settings.outputAfter()) // no score before the forest has seen this many points
                .randomSeed(seed) // repeatable scores
                .parallelExecutionEnabled(false) // parallelism is across models, not inside one
                .boundingBoxCacheFraction(settings.boundingBoxCacheFraction()) // memory versus CPU
                .build();
    }

    @Override
    public Map<String, String> shaping() {
        Map<String, String> shaping = new LinkedHashMap<>();
        shaping.put("method", Method.KDA.name());
        shaping.put("features", String.join(",", settings.features()));
        shaping.put("number-of-trees", String.valueOf(settings.numberOfTrees()));
        shaping.put("sample-size", String.valueOf(settings.sampleSize()));
        shaping.put("time-decay", String.valueOf(settings.timeDecayWindow()));
        shaping.put("shingle-size", String.valueOf(settings.shingleSize()));
        shaping.put("bounding-box-cache-fraction", String.valueOf(settings.boundingBoxCacheFraction()));
        return shaping;
    }

    @Override
    public void write(KeyModel model, DataOutputStream out) throws IOException {
        KdaModel kda = (KdaModel) model;
        out.writeLong(kda.seen());
        Forests.write(kda.forest(), out);
    }

    @Override
    public KeyModel read(DataInputStream in) throws IOException {
        long seen = in.readLong();
        if (seen < 0) {
            throw new IOException("negative count");
        }
        return new KdaModel(Forests.read(in, settings.seed()), settings, seen);
    }
}
