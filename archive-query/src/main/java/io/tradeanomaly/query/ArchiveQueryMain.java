package io.tradeanomaly.query;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code java -jar archive-query/target/archive-query.jar [--archive DIR] [--sql "SELECT ..." | --example NAME]
 * [--format table|csv] [--list]}: SQL over the anomaly archive (docs/query.md). Exit status 0 on success, 1 when the
 * archive or the query is wrong (with the reason), 2 for a wrong command line.
 */
public final class ArchiveQueryMain {

    static final String DEFAULT_ARCHIVE = ".local-aws/s3/anomalous-trades-archive";

    private static final String USAGE = """
            usage: java -jar archive-query/target/archive-query.jar [--archive DIR] [--sql "SELECT ..." | --example NAME]
                                                                    [--key FIELD --features A,B] [--format table|csv]
                                                                    [--list]
              --archive DIR    the archive folder (default %s): Firehose's layout, YYYY/MM/DD/HH/*.json[.gz]
              --sql SQL        a query over the table anomalies (DuckDB SQL; times are UTC)
              --example NAME   one of the examples of docs/query.md, or per-key (--list shows them)
              --key FIELD      the detector's detector.input.key (default tickerSymbol; empty: none)
              --features A,B   the detector's detector.input.features (default price,quantity); with another
                               stream than the trades, the table's columns are the records' own fields
              --format FORMAT  table (default) or csv
              --list           the examples, with their SQL
            --detector.input.key=... and --detector.input.features=... are taken as --key and --features.
            Without --sql or --example: the archive's objects, the stream and the table's columns.
            """.formatted(DEFAULT_ARCHIVE);

    private ArchiveQueryMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path archive = Path.of(DEFAULT_ARCHIVE);
        String sql = null;
        String example = null;
        boolean list = false;
        String key = ArchiveTable.Schema.TRADES.key();
        String features = String.join(",", ArchiveTable.Schema.TRADES.features());
        ResultPrinter.Format format = ResultPrinter.Format.TABLE;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                int equals = arg.startsWith("--") ? arg.indexOf('=') : -1;
                String name = equals > 0 ? arg.substring(0, equals) : arg;
                switch (name) {
                    case "--list" -> list = true;
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "--archive",
                            "--sql",
                            "--example",
                            "--format",
                            "--key",
                            "--features",
                            "--detector.input.key",
                            "--detector.input.features" -> {
                        String value;
                        if (equals > 0) {
                            value = arg.substring(equals + 1);
                        } else if (i + 1 < args.length) {
                            value = args[++i];
                        } else {
                            throw new IllegalArgumentException(name + " needs a value");
                        }
                        switch (name) {
                            case "--archive" -> archive = Path.of(value);
                            case "--sql" -> sql = value;
                            case "--example" -> example = value;
                            case "--key", "--detector.input.key" -> key = value.strip();
                            case "--features", "--detector.input.features" -> features = value;
                            default -> format = format(value);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument: " + arg);
                }
            }
            if (sql != null && example != null) {
                throw new IllegalArgumentException("give --sql or --example, not both");
            }
        } catch (IllegalArgumentException e) {
            err.println("archive-query: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        List<String> featureList = Arrays.stream(features.split(","))
                .map(String::strip)
                .filter(f -> !f.isEmpty())
                .toList();
        if (featureList.isEmpty()) {
            err.println("archive-query: --features names no field");
            err.print(USAGE);
            return 2;
        }
        ArchiveTable.Schema schema = new ArchiveTable.Schema(key.isEmpty() ? null : key, featureList);
        Map<String, Examples.Example> examples = new LinkedHashMap<>();
        if (schema.isTrades()) {
            examples.putAll(Examples.bundled());
        }
        examples.put("per-key", Examples.perKey(schema, true));
        if (list) {
            examples.values().forEach(e -> out.printf("%s  (%s)%n%s%n%n", e.name(), e.title(), e.sql()));
            return 0;
        }
        if (example != null && !examples.containsKey(example)) {
            err.println("archive-query: no example named " + example + "; there are: "
                    + String.join(", ", examples.keySet())
                    + (schema.isTrades() ? "" : " (docs/query.md's examples are for the trade default)"));
            return 2;
        }
        try (ArchiveQuery query = new ArchiveQuery(ArchiveTable.at(archive, schema))) {
            if ("per-key".equals(example)) {
                examples.put("per-key", Examples.perKey(schema, query.explanationsCarryExpected()));
            }
            if (sql == null && example == null) {
                describe(query, out, examples);
                return 0;
            }
            ResultPrinter.print(
                    query.run(sql != null ? sql : examples.get(example).sql()), format, out);
            return 0;
        } catch (ArchiveQueryException e) {
            err.println("archive-query: " + e.getMessage());
            return 1;
        }
    }

    private static void describe(ArchiveQuery query, PrintStream out, Map<String, Examples.Example> examples) {
        ArchiveTable table = query.table();
        out.printf(
                "Archive %s: %d objects, in hours %s to %s%n",
                table.folder(),
                table.objects().size(),
                hour(table, table.objects().get(0)),
                hour(table, table.objects().get(table.objects().size() - 1)));
        out.printf(
                "Stream: key %s, features %s%n%n",
                table.schema().key() == null
                        ? "(none: one model)"
                        : table.schema().key(),
                String.join(", ", table.schema().features()));
        ResultPrinter.print(
                query.run("SELECT column_name, column_type FROM (DESCRIBE " + ArchiveTable.NAME + ")"),
                ResultPrinter.Format.TABLE,
                out);
        out.println();
        out.println("Examples (--example NAME): " + String.join(", ", examples.keySet()));
    }

    private static String hour(ArchiveTable table, Path object) {
        return table.folder().relativize(object.getParent()).toString().replace('\\', '/');
    }

    private static ResultPrinter.Format format(String value) {
        try {
            return ResultPrinter.Format.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--format is table or csv, not " + value);
        }
    }
}
