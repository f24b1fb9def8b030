package io.tradeanomaly.detector.scoring;

import static io.tradeanomaly.detector.scoring.SnapshotFields.exactly;
import static io.tradeanomaly.detector.scoring.SnapshotFields.readBooleans;
import static io.tradeanomaly.detector.scoring.SnapshotFields.readDoubles;
import static io.tradeanomaly.detector.scoring.SnapshotFields.readInts;
import static io.tradeanomaly.detector.scoring.SnapshotFields.readMatrix;
import static io.tradeanomaly.detector.scoring.SnapshotFields.writeBooleans;
import static io.tradeanomaly.detector.scoring.SnapshotFields.writeDoubles;
import static io.tradeanomaly.detector.scoring.SnapshotFields.writeInts;
import static io.tradeanomaly.detector.scoring.SnapshotFields.writeMatrix;

import io.tradeanomaly.common.record.FeatureExplanation;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The surprise method (docs/detector.md, "Detection methods"): each key learns its own recent normal per feature
 * (level, scale and shape, robustly; on a log scale for a positive feature) and, with two or more features, how they
 * relate; a record's score is how surprising it is under that normal in decades, {@code -log10} of the probability of a
 * record at least as far out, so one threshold means the same tail probability for every key ({@link SurpriseModel}).
 * Any finite features, of any sign. One model per key.
 */
final class SurpriseMethod implements DetectionMethod {

    private final ScoringSettings settings;
    private final SurpriseSettings surprise;

    SurpriseMethod(ScoringSettings settings) {
        this.settings = settings;
        this.surprise = SurpriseSettings.defaults().withOutputAfter(settings.outputAfter());
    }

    @Override
    public KeyModel newModel(long seed) {
        return new Model(new SurpriseModel(settings.dimensions(), surprise), settings.features());
    }

    @Override
    public Map<String, String> shaping() {
        Map<String, String> shaping = new LinkedHashMap<>();
        shaping.put("method", Method.SURPRISE.name());
        shaping.put("features", String.join(",", settings.features()));
        shaping.put(
                "surprise",
                surprise.describe() + "@" + FeatureScale.AGREEMENT + "/" + FeatureScale.SCALE_WINDOW + "/"
                        + FeatureScale.FAST_WINDOW + "/" + FeatureShape.REFERENCE + "/" + SurpriseModel.SCREENED
                        + "/runs " + RunLength.RUNS + "/" + RunLength.MINIMUM + "/" + SurpriseModel.FLAT);
        return shaping;
    }

    /** One key's {@link SurpriseModel} as a {@link KeyModel}: the explanation keyed by the feature names. */
    static final class Model implements KeyModel {

        private final SurpriseModel model;
        private final List<String> features;

        Model(SurpriseModel model, List<String> features) {
            this.model = model;
            this.features = features;
        }

        @Override
        public Verdict score(double[] values, long epochMillis, double threshold) {
            SurpriseModel.Surprise s = model.score(values, threshold);
            if (s.warmingUp()) {
                return Verdict.warmUp();
            }
            if (!s.anomaly()) {
                return new Verdict(s.score(), false, false, threshold, null);
            }
            Map<String, FeatureExplanation> explanation = new LinkedHashMap<>();
            for (int i = 0; i < features.size(); i++) {
                explanation.put(features.get(i), s.explanation()[i]);
            }
            return new Verdict(s.score(), true, false, threshold, explanation);
        }

        @Override
        public long seen() {
            return model.seen();
        }

        @Override
        public boolean worthKeeping() {
            return model.seen() >= SurpriseModel.SCREENED; // a few records of warm-up are not worth a write
        }

        SurpriseModel surprise() {
            return model;
        }
    }

    @Override
    public void write(KeyModel model, DataOutputStream out) throws IOException {
        SurpriseModel.State s = ((Model) model).surprise().state();
        out.writeLong(s.seen());
        writeMatrix(out, s.undecided());
        out.writeBoolean(s.logarithmic() != null);
        if (s.logarithmic() != null) {
            writeBooleans(out, s.logarithmic());
            writeDoubles(out, s.floor());
        }
        writeMatrix(out, s.screening());
        writeMatrix(out, s.screeningRaw());
        out.writeInt(s.scales().length);
        for (double[][] scale : s.scales()) {
            writeMatrix(out, scale);
        }
        writeMatrix(out, s.shapes());
        writeInts(out, s.shapesLearnt());
        writeBooleans(out, s.shapesRose());
        out.writeInt(s.runs().length);
        for (double[][] run : s.runs()) {
            writeMatrix(out, run);
        }
        RelationModel.State r = s.relations();
        out.writeBoolean(r != null);
        if (r != null) {
            writeDoubles(out, r.mean());
            writeMatrix(out, r.covariance());
            out.writeBoolean(r.precision() != null);
            if (r.precision() != null) {
                writeMatrix(out, r.precision());
            }
            writeBooleans(out, r.related());
            writeDoubles(out, r.ewma());
            writeMatrix(out, r.residualShapes());
            writeInts(out, r.residualShapesLearnt());
            writeMatrix(out, r.ewmaShapes());
            writeInts(out, r.ewmaShapesLearnt());
            out.writeLong(r.learnt());
            out.writeInt(r.sinceRefresh());
            out.writeInt(r.notLearnt());
            out.writeBoolean(r.adopting());
        }
    }

    @Override
    public KeyModel read(DataInputStream in) throws IOException {
        int d = settings.dimensions();
        long seen = in.readLong();
        if (seen < 0) {
            throw new IOException("negative count");
        }
        double[][] undecided = readMatrix(in, d);
        boolean[] logarithmic = null;
        double[] floor = null;
        if (in.readBoolean()) {
            logarithmic = readBooleans(in, d);
            floor = readDoubles(in, d);
        }
        double[][] screening = readMatrix(in, d);
        double[][] screeningRaw = readMatrix(in, d);
        double[][][] scales = new double[exactly(in, d)][][];
        for (int i = 0; i < d; i++) {
            scales[i] = readMatrix(in, -1);
            if (scales[i].length != 4 || scales[i][3].length != 1) {
                throw new IOException("malformed scale state");
            }
        }
        double[][] shapes = readMatrix(in, -1);
        int[] shapesLearnt = readInts(in, d);
        boolean[] shapesRose = readBooleans(in, d);
        if (shapes.length != d) {
            throw new IOException("malformed shape state");
        }
        double[][][] runs = new double[exactly(in, d)][][];
        for (int i = 0; i < d; i++) {
            runs[i] = readMatrix(in, -1);
            if (runs[i].length != 2 || runs[i][0].length != 5) {
                throw new IOException("malformed run state");
            }
        }
        RelationModel.State relations = null;
        if (in.readBoolean()) {
            double[] mean = readDoubles(in, d);
            double[][] covariance = readMatrix(in, d);
            double[][] precision = in.readBoolean() ? readMatrix(in, d) : null;
            relations = new RelationModel.State(
                    mean,
                    covariance,
                    precision,
                    readBooleans(in, d),
                    readDoubles(in, d),
                    readMatrix(in, -1),
                    readInts(in, d),
                    readMatrix(in, -1),
                    readInts(in, d),
                    in.readLong(),
                    in.readInt(),
                    in.readInt(),
                    in.readBoolean());
            if (covariance.length != d
                    || relations.residualShapes().length != d
                    || relations.ewmaShapes().length != d) {
                throw new IOException("malformed relation state");
            }
        }
        SurpriseModel.State state = new SurpriseModel.State(
                seen,
                undecided,
                logarithmic,
                floor,
                screening,
                screeningRaw,
                scales,
                shapes,
                shapesLearnt,
                shapesRose,
                runs,
                relations);
        try {
            return new Model(SurpriseModel.restore(d, surprise, state), settings.features());
        } catch (RuntimeException e) {
            throw new IOException("snapshot does not restore: " + e.getMessage(), e);
        }
    }
}
