package io.tradeanomaly.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example queries of docs/query.md, read from the page itself (the build copies it into the jar): each
 * {@code ```sql} block whose first line is {@code -- example: NAME}, titled by the heading above it.
 */
final class Examples {

    /** One example: its name, the heading it is under, and its SQL. */
    record Example(String name, String title, String sql) {}

    private static final Pattern BLOCK =
            Pattern.compile("```sql\\n-- example: ([a-z0-9-]+)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern HEADING = Pattern.compile("(?m)^#+ (.+)$");

    private Examples() {}

    /** The examples of the docs page in the jar. */
    static Map<String, Example> bundled() {
        try (InputStream in = Examples.class.getResourceAsStream("query.md")) {
            if (in == null) {
                throw new IllegalStateException("query.md is not in the jar (the build copies docs/query.md)");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The examples of a page, in order. */
    static Map<String, Example> parse(String markdown) {
        Map<String, Example> examples = new LinkedHashMap<>();
        Matcher block = BLOCK.matcher(markdown.replace("\r\n", "\n"));
        while (block.find()) {
            String title = "";
            Matcher heading = HEADING.matcher(markdown.substring(0, block.start()));
            while (heading.find()) {
                title = heading.group(1)
                        .replaceAll("\\s*\\(`--example [^`]+`\\)", "")
                        .trim();
            }
            String name = block.group(1);
            if (examples.put(name, new Example(name, title, block.group(2).trim())) != null) {
                throw new IllegalStateException("two examples are named " + name);
            }
        }
        return examples;
    }

    /**
     * The example written for the configured stream: per key, how many anomalies, the worst score, the latest, and
     * each feature's value in the latest anomaly with what the model expected (when the records carry it).
     *
     * @param expected whether the records' explanations carry {@code EXPECTED}
     */
    static Example perKey(ArchiveTable.Schema schema, boolean expected) {
        String when = "coalesce(arrivalTime, detectedAt)";
        StringBuilder sql = new StringBuilder("SELECT ");
        String key = schema.key() == null ? "'(all)'" : ArchiveTable.Schema.column(schema.key());
        sql.append(key).append(" AS ").append(quote(schema.key() == null ? "key" : schema.key()));
        sql.append(", count(*) AS anomalies, round(max(ANOMALY_SCORE), 2) AS worst, max(")
                .append(when)
                .append(") AS latest");
        for (String feature : schema.features()) {
            sql.append(",\n       arg_max(")
                    .append(ArchiveTable.Schema.column(feature))
                    .append(", ")
                    .append(when)
                    .append(") AS ")
                    .append(quote(feature));
            if (expected) {
                sql.append(",\n       round(arg_max(ANOMALY_EXPLANATION.")
                        .append(quote(feature))
                        .append(".EXPECTED, ")
                        .append(when)
                        .append("), 2) AS ")
                        .append(quote(feature + " expected"));
            }
        }
        sql.append("\nFROM ").append(ArchiveTable.NAME).append("\nGROUP BY 1\nORDER BY anomalies DESC, 1;");
        return new Example(
                "per-key",
                "Per " + (schema.key() == null ? "stream" : schema.key()) + ": the latest anomaly's "
                        + String.join(", ", schema.features()),
                sql.toString());
    }

    private static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    static List<String> names(Map<String, Example> examples) {
        return new ArrayList<>(examples.keySet());
    }
}
