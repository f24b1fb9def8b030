package io.tradeanomaly.detector.live;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads the few figures the live page needs from a service's {@code /actuator/prometheus} answer (Prometheus text
 * format): each wanted metric's samples summed over their labels, or their maximum. Pure; no HTTP here.
 */
final class PrometheusText {

    /** How a metric's samples (one per label set) become one figure. */
    enum Aggregation {
        SUM,
        MAX
    }

    private PrometheusText() {}

    /** The wanted metrics found in {@code text}; a metric without a sample is absent from the answer. */
    static Map<String, Double> read(String text, Map<String, Aggregation> wanted) {
        Map<String, Double> found = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int nameEnd = nameEnd(line);
            String name = line.substring(0, nameEnd);
            Aggregation aggregation = wanted.get(name);
            if (aggregation == null) {
                continue;
            }
            Double value = value(line, nameEnd);
            if (value == null || value.isNaN()) {
                continue;
            }
            found.merge(name, value, aggregation == Aggregation.SUM ? Double::sum : Math::max);
        }
        return found;
    }

    private static int nameEnd(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The sample's value: the first token after the labels (label values may hold spaces, quotes and braces). */
    private static Double value(String line, int from) {
        int i = from;
        if (i < line.length() && line.charAt(i) == '{') {
            boolean quoted = false;
            for (i++; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted && c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == '}' && !quoted) {
                    i++;
                    break;
                }
            }
        }
        String[] rest = line.substring(Math.min(i, line.length())).trim().split("\\s+");
        try {
            return rest.length == 0 || rest[0].isEmpty() ? null : Double.parseDouble(rest[0]);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
