package io.tradeanomaly.archiver.parquet;

import io.tradeanomaly.archiver.parquet.ParquetSchema.Field;
import io.tradeanomaly.archiver.parquet.ParquetSchema.Kind;
import io.tradeanomaly.archiver.parquet.ParquetSchema.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A recursive-descent reader of Hive's column list and type syntax ({@code name type, ...}, {@code struct<a:t,...>},
 * {@code array<t>}), as an Athena DDL has it. Names are unique regardless of case, among the columns and within each
 * struct: the metastore lower-cases them, so {@code a} and {@code A} would be one column.
 */
final class HiveColumnList {

    private final String text;
    private int at;

    private HiveColumnList(String text) {
        this.text = text == null ? "" : text;
    }

    /** The columns of a column list. */
    static List<Field> parse(String columnList) {
        HiveColumnList parser = new HiveColumnList(columnList);
        List<Field> columns = parser.fields(',', ' ');
        parser.end();
        return columns;
    }

    /** Fields separated by {@code separator}, each a name, {@code between} (a blank or ':') and a type. */
    private List<Field> fields(char separator, char between) {
        List<Field> fields = new ArrayList<>();
        Set<String> names = new HashSet<>();
        do {
            String name = name();
            if (between == ':') {
                expect(':');
            }
            if (!names.add(name.toLowerCase(Locale.ROOT))) {
                throw error("a name not given before (names are compared without case), not " + name);
            }
            fields.add(new Field(name, type()));
        } while (accept(separator));
        return List.copyOf(fields);
    }

    String name() {
        skipBlanks();
        if (at < text.length() && text.charAt(at) == '`') {
            int end = text.indexOf('`', at + 1);
            if (end < 0) {
                throw error("an unclosed `");
            }
            String name = text.substring(at + 1, end);
            at = end + 1;
            return name;
        }
        int start = at;
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
            at++;
        }
        if (start == at) {
            throw error("a name");
        }
        return text.substring(start, at);
    }

    Type type() {
        String name = name().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "string" -> primitive(Kind.STRING);
            case "varchar", "char" -> {
                if (accept('(')) { // the length bounds nothing in Parquet
                    name();
                    expect(')');
                }
                yield primitive(Kind.STRING);
            }
            case "boolean" -> primitive(Kind.BOOLEAN);
            case "tinyint" -> primitive(Kind.TINYINT);
            case "smallint" -> primitive(Kind.SMALLINT);
            case "int", "integer" -> primitive(Kind.INT);
            case "bigint" -> primitive(Kind.BIGINT);
            case "float" -> primitive(Kind.FLOAT);
            case "double" -> primitive(Kind.DOUBLE);
            case "struct" -> {
                expect('<');
                List<Field> fields = fields(',', ':');
                expect('>');
                yield new Type(Kind.STRUCT, fields, null);
            }
            case "array" -> {
                expect('<');
                Type element = type();
                expect('>');
                yield new Type(Kind.ARRAY, List.of(), element);
            }
            default ->
                throw error("a type the archiver writes (string, boolean, tinyint, smallint, int, bigint,"
                        + " float, double, struct<...>, array<...>; times are ISO-8601 strings), not " + name);
        };
    }

    private static Type primitive(Kind kind) {
        return new Type(kind, List.of(), null);
    }

    boolean accept(char c) {
        skipBlanks();
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    void expect(char c) {
        if (!accept(c)) {
            throw error("'" + c + "'");
        }
    }

    void end() {
        skipBlanks();
        if (at != text.length()) {
            throw error("',' or the end");
        }
    }

    private void skipBlanks() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private IllegalArgumentException error(String expected) {
        return new IllegalArgumentException(
                "archiver.parquet-columns: expected " + expected + " at character " + at + " of: " + text);
    }
}
