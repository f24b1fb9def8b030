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

    static List<String> names(Map<String, Example> examples) {
        return new ArrayList<>(examples.keySet());
    }
}
