package io.tradeanomaly.detector.scoring;

import static io.tradeanomaly.detector.scoring.SnapshotFields.length;
import static io.tradeanomaly.detector.scoring.SnapshotFields.readDoubles;
import static io.tradeanomaly.detector.scoring.SnapshotFields.writeDoubles;

import io.tradeanomaly.common.record.RecordRejectedException;
import io.tradeanomaly.common.record.RejectReason;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The calibrated method (docs/detector.md, "How it scores"): each key learns each feature's own level, scale and
 * shape robustly, on a log scale; a forest over the calibrated deviations judges a record against a cut-off that means
 * the same tail probability for every key, and only clearly normal records are learnt ({@link CalibratedModel}).
 * Features must be positive (their logarithms are read).
 */
final class CalibratedMethod implements DetectionMethod {

    private final ScoringSettings settings;

    CalibratedMethod(ScoringSettings settings) {
        this.settings = settings;
    }

    @Override
    public KeyModel newModel(long seed) {
        return new CalibratedModel(settings, seed);
    }

    @Override
    public void check(double[] features) {
        for (int i = 0; i < features.length; i++) {
            if (features[i] <= 0) {
                throw new RecordRejectedException(
                        RejectReason.NON_POSITIVE_NUMBER,
                        "field '" + settings.features().get(i) + "' must be > 0 but is " + features[i]
                                + " (the calibrated method reads features on a log scale)");
            }
        }
    }

    @Override
    public Map<String, String> shaping() {
        Map<String, String> shaping = new LinkedHashMap<>();
        shaping.put("method", Method.CALIBRATED.name());
        shaping.put("features", String.join(",", settings.features()));
        shaping.put("number-of-trees", String.valueOf(settings.numberOfTrees()));
        shaping.put("sample-size", String.valueOf(settings.sampleSize()));
        shaping.put("time-decay", String.valueOf(settings.timeDecayWindow()));
        shaping.put("bounding-box-cache-fraction", String.valueOf(settings.boundingBoxCacheFraction()));
        shaping.put(
                "calibration",
                FeatureScale.LEVEL_WINDOW + "-" + FeatureScale.MIDDLE_WINDOW + "-" + FeatureScale.LONG_WINDOW + "@"
                        + FeatureScale.AGREEMENT + "/" + FeatureScale.SCALE_WINDOW + "/" + FeatureScale.FAST_WINDOW
                        + "/" + FeatureShape.REFERENCE + "/" + FeatureTransform.SCREENED);
        return shaping;
    }

    @Override
    public void write(KeyModel model, DataOutputStream out) throws IOException {
        CalibratedModel calibrated = (CalibratedModel) model;
        CalibratedModel.State state = calibrated.state();
        out.writeLong(state.seen());
        out.writeInt(state.sinceCutoff());
        FeatureTransform.State transform = state.transform();
        out.writeInt(transform.features().length);
        for (double[][] feature : transform.features()) {
            out.writeInt(feature.length);
            for (double[] values : feature) {
                writeDoubles(out, values);
            }
        }
        out.writeInt(transform.screening().length);
        for (double[] features : transform.screening()) {
            writeDoubles(out, features);
        }
        Forests.write(calibrated.forest(), out);
    }

    @Override
    public KeyModel read(DataInputStream in) throws IOException {
        long seen = in.readLong();
        int sinceCutoff = in.readInt();
        if (seen < 0 || sinceCutoff < 0) {
            throw new IOException("negative count");
        }
        int dimensions = settings.dimensions();
        double[][][] features = new double[length(in, dimensions)][][];
        if (features.length != dimensions) {
            throw new IOException("snapshot has " + features.length + " features");
        }
        for (int i = 0; i < features.length; i++) {
            features[i] = new double[length(in, 6)][];
            for (int j = 0; j < features[i].length; j++) {
                features[i][j] = readDoubles(in);
            }
            if (features[i].length != 6
                    || features[i][3].length != 1
                    || features[i][5].length != 2
                    || features[i][5][0] < 0) {
                throw new IOException("malformed feature state");
            }
        }
        double[][] screening = new double[length(in, FeatureTransform.SCREENED)][];
        for (int i = 0; i < screening.length; i++) {
            screening[i] = readDoubles(in);
            if (screening[i].length != dimensions) {
                throw new IOException("malformed screening state");
            }
        }
        CalibratedModel.State state =
                new CalibratedModel.State(seen, sinceCutoff, new FeatureTransform.State(features, screening));
        return CalibratedModel.restore(Forests.read(in, settings.seed()), state, settings);
    }
}
