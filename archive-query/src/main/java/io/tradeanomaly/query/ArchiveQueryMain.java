package io.tradeanomaly.query;

import java.io.PrintStream;
import java.nio.file.Path;
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
                                                                    [--format table|csv] [--list]
              --archive DIR    the archive folder (default %s): Firehose's layout, YYYY/MM/DD/HH/*.json[.gz]
              --sql SQL        a query over the table anomalous_trades (DuckDB SQL; times are UTC)
              --example NAME   one of the examples of docs/query.md (--list shows them)
              --format FORMAT  table (default) or csv
              --list           the examples, with their SQL
            Without --sql or --example: the archive's objects and the table's columns.
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
                    case "--archive", "--sql", "--example", "--format" -> {
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
        Map<String, Examples.Example> examples = Examples.bundled();
        if (list) {
            examples.values().forEach(e -> out.printf("%s  (%s)%n%s%n%n", e.name(), e.title(), e.sql()));
            return 0;
        }
        if (example != null && !examples.containsKey(example)) {
            err.println("archive-query: no example named " + example + "; there are: "
                    + String.join(", ", examples.keySet()));
            return 2;
        }
        try (ArchiveQuery query = new ArchiveQuery(ArchiveTable.at(archive))) {
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
                "Archive %s: %d objects, in hours %s to %s%n%n",
                table.folder(),
                table.objects().size(),
                hour(table, table.objects().get(0)),
                hour(table, table.objects().get(table.objects().size() - 1)));
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
