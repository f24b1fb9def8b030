package io.tradeanomaly.detector.quality.series;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The methods the harness knows, by name, each optionally with settings: {@code name} or {@code
 * name:key=value,key=value}: the detector's own methods ({@code kda}, {@code calibrated}, {@code surprise}) take
 * {@code detector.*} settings by name without the prefix (e.g. {@code surprise:threshold=5}), the others their knobs.
 */
public final class Methods {

    private Methods() {}

    /** KDA's setup ({@code detector.method=kda}), one forest per key. */
    public static SeriesMethod.Factory kda() {
        return factory(
                "kda", (series, seed) -> new DetectorMethod(DetectorMethod.settings("kda", series, Map.of()), seed));
    }

    /** The calibrated method (the default before the surprise method) through the trade schema. */
    public static SeriesMethod.Factory calibratedAsTrades() {
        return factory("calibrated-as-trades", CalibratedAsTrades::new);
    }

    /** A plain rolling z-score over the last 500 points. */
    public static SeriesMethod.Factory zScore() {
        return factory("zscore", (series, seed) -> new RollingZScore(series.dimensions(), 500));
    }

    static SeriesMethod.Factory factory(String name, BiFunction<LabelledSeries, Long, SeriesMethod> create) {
        return new SeriesMethod.Factory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public SeriesMethod create(LabelledSeries series, long seed) {
                return create.apply(series, seed);
            }
        };
    }

    /** A method by its name in a harness command line. */
    public static SeriesMethod.Factory byName(String spec) {
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        Map<String, String> settings = new LinkedHashMap<>();
        if (colon >= 0) {
            for (String pair : spec.substring(colon + 1).split(",")) {
                String[] kv = pair.split("=", 2);
                settings.put(kv[0].trim(), kv.length > 1 ? kv[1].trim() : "true");
            }
        }
        return switch (name) {
            case "kda" -> kda();
            case "calibrated-as-trades" -> calibratedAsTrades();
            case "zscore" -> zScore();
            case "default", "surprise", "calibrated" -> {
                Map<String, String> overrides = new LinkedHashMap<>(settings);
                String threshold = overrides.remove("t");
                if (threshold != null) {
                    overrides.put("threshold", threshold);
                }
                yield factory(
                        spec,
                        (series, seed) -> new DetectorMethod(DetectorMethod.settings(name, series, overrides), seed));
            }
            case "frozen" ->
                factory(
                        spec,
                        (series, seed) -> new FrozenReference(
                                series.dimensions(),
                                Integer.parseInt(settings.getOrDefault("warmup", "400")),
                                settings.containsKey("maxz")));
            case "trcf" -> factory(spec, (series, seed) -> new TrcfMethod(series.dimensions(), seed, settings));
            default -> throw new IllegalArgumentException("unknown method " + name);
        };
    }
}
