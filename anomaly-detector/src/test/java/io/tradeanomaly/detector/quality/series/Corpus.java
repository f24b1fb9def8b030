package io.tradeanomaly.detector.quality.series;

import java.util.List;

/**
 * A set of labelled series scored one way, like one held-back collection.
 *
 * @param name the corpus's name in reports
 * @param scoring how it is scored
 * @param series its series, one key each
 */
public record Corpus(String name, LabelledSeries.Scoring scoring, List<LabelledSeries> series) {

    public long records() {
        return series.stream().mapToLong(LabelledSeries::length).sum();
    }
}
