package io.tradeanomaly.query;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Prints a result as an aligned text table (for people) or as CSV (RFC 4180, for tools). */
final class ResultPrinter {

    /** Output formats. */
    enum Format {
        TABLE,
        CSV
    }

    /** Rows printed at most as a table; CSV prints them all. */
    static final int TABLE_ROWS = 1000;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private ResultPrinter() {}

    static void print(ArchiveQuery.Result result, Format format, PrintStream out) {
        if (result.columns().isEmpty()) {
            out.println("OK");
            return;
        }
        if (format == Format.CSV) {
            out.println(String.join(
                    ",", result.columns().stream().map(ResultPrinter::csv).toList()));
            for (List<Object> row : result.rows()) {
                out.println(String.join(",", row.stream().map(v -> csv(text(v))).toList()));
            }
            return;
        }
        List<List<String>> cells = new ArrayList<>();
        cells.add(result.columns());
        result.rows().stream()
                .limit(TABLE_ROWS)
                .forEach(row -> cells.add(row.stream().map(ResultPrinter::text).toList()));
        int[] widths = new int[result.columns().size()];
        for (List<String> row : cells) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        boolean[] numeric = new boolean[widths.length];
        if (!result.rows().isEmpty()) {
            for (int i = 0; i < widths.length; i++) {
                numeric[i] = result.rows().get(0).get(i) instanceof Number;
            }
        }
        for (int r = 0; r < cells.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String value = cells.get(r).get(i);
                String pad = " ".repeat(widths[i] - value.length());
                line.append(i == 0 ? "" : "  ").append(numeric[i] && r > 0 ? pad + value : value + pad);
            }
            out.println(line.toString().stripTrailing());
            if (r == 0) {
                StringBuilder rule = new StringBuilder();
                for (int i = 0; i < widths.length; i++) {
                    rule.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
                }
                out.println(rule);
            }
        }
        int rows = result.rows().size();
        out.println(
                rows > TABLE_ROWS
                        ? "(" + rows + " rows, the first " + TABLE_ROWS + " shown: add LIMIT, or --format csv for all)"
                        : "(" + rows + (rows == 1 ? " row)" : " rows)"));
    }

    /** A value as text: times as UTC without a zone, numbers without exponent, null as NULL. */
    static String text(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Timestamp timestamp) {
            return TIME.format(timestamp.toLocalDateTime());
        }
        if (value instanceof LocalDateTime time) {
            return TIME.format(time);
        }
        if (value instanceof OffsetDateTime time) {
            return TIME.format(time.withOffsetSameInstant(ZoneOffset.UTC));
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite()
                    ? d.toString()
                    : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }

    private static String csv(String value) {
        return value.contains(",") || value.contains("\"") || value.contains("\n")
                ? "\"" + value.replace("\"", "\"\"") + "\""
                : value;
    }
}
