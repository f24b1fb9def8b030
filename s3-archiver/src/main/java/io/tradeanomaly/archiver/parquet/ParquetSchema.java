package io.tradeanomaly.archiver.parquet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The columns of the archive's Parquet objects, given as the column list of the Athena table (Hive types, e.g. {@code
 * tickerSymbol string, price double, ANOMALY_EXPLANATION struct<price:struct<STRENGTH:double>>}): Firehose's record
 * format conversion takes its schema from the Glue table in the same way, so the objects' column types are the table's
 * by construction, the same in every object whatever its records hold (a schema inferred per object would make a
 * field that happens to be integral in one object {@code INT64} and {@code DOUBLE} in the next, which Athena refuses).
 *
 * <p>A line is projected onto the columns ({@link #project}): JSON keys match column names regardless of case (as
 * Hive's JSON SerDe does; the metastore lower-cases names), fields not in the schema are dropped, missing ones are
 * null, numbers take the column's type; a value the column's type cannot take is refused. Pure: no
 * I/O.
 */
public final class ParquetSchema {

    /** Columns the archiver itself reads back from its objects (the anomaly's identity and its source time). */
    static final List<Map.Entry<String, Kind>> REQUIRED = List.of(
            Map.entry("sourceShardId", Kind.STRING),
            Map.entry("sourceSequenceNumber", Kind.STRING),
            Map.entry("sourceSubSequenceNumber", Kind.BIGINT),
            Map.entry("arrivalTime", Kind.STRING));

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A column type's kind. */
    enum Kind {
        STRING("VARCHAR"),
        BOOLEAN("BOOLEAN"),
        TINYINT("TINYINT"),
        SMALLINT("SMALLINT"),
        INT("INTEGER"),
        BIGINT("BIGINT"),
        FLOAT("FLOAT"),
        DOUBLE("DOUBLE"),
        STRUCT(null),
        ARRAY(null);

        private final String duckDb;

        Kind(String duckDb) {
            this.duckDb = duckDb;
        }
    }

    /** A column type: a primitive, a struct (its fields) or an array (its one element type). */
    record Type(Kind kind, List<Field> fields, Type element) {

        /** The type in DuckDB's syntax, names quoted so that their case is kept. */
        String duckDb() {
            return switch (kind) {
                case STRUCT -> {
                    List<String> parts = new ArrayList<>();
                    for (Field field : fields) {
                        parts.add(quote(field.name()) + " " + field.type().duckDb());
                    }
                    yield "STRUCT(" + String.join(", ", parts) + ")";
                }
                case ARRAY -> element.duckDb() + "[]";
                default -> kind.duckDb;
            };
        }
    }

    /** A column, or a field of a struct. */
    record Field(String name, Type type) {}

    private final List<Field> columns;

    private ParquetSchema(List<Field> columns) {
        this.columns = List.copyOf(columns);
    }

    /**
     * Parses a Hive column list.
     *
     * @throws IllegalArgumentException when it is not one, or lacks a column the archiver reads back ({@link #REQUIRED})
     */
    public static ParquetSchema parse(String columnList) {
        List<Field> columns = HiveColumnList.parse(columnList);
        for (Map.Entry<String, Kind> required : REQUIRED) {
            Field column = columns.stream()
                    .filter(f -> f.name().equals(required.getKey()))
                    .findFirst()
                    .orElse(null);
            if (column == null || column.type().kind() != required.getValue()) {
                throw new IllegalArgumentException("the Parquet columns need " + required.getKey() + " "
                        + required.getValue().name().toLowerCase(Locale.ROOT)
                        + ", spelt so (the archiver reads each anomaly's identity back from its objects)");
            }
        }
        return new ParquetSchema(columns);
    }

    /** The columns as DuckDB's {@code read_json(columns = {...})} takes them. */
    public String duckDbColumns() {
        List<String> parts = new ArrayList<>();
        for (Field column : columns) {
            parts.add("'" + column.name().replace("'", "''") + "': '"
                    + column.type().duckDb().replace("'", "''") + "'");
        }
        return "{" + String.join(", ", parts) + "}";
    }

    /** The column names, in order. */
    public List<String> names() {
        return columns.stream().map(Field::name).toList();
    }

    /**
     * The line projected onto the columns: a JSON object with every column in order (null when absent), each value of
     * its column's type.
     *
     * @throws IllegalArgumentException when the line is not a JSON object or a value does not fit its column
     */
    public byte[] project(byte[] line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return JSON.writeValueAsBytes(struct(node, columns, ""));
    }

    private static ObjectNode struct(JsonNode object, List<Field> fields, String path) {
        ObjectNode out = NODES.objectNode();
        for (Field field : fields) {
            out.set(field.name(), value(member(object, field.name()), field.type(), path + field.name()));
        }
        return out;
    }

    private static JsonNode value(JsonNode value, Type type, String path) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return NODES.nullNode();
        }
        return switch (type.kind()) {
            case STRING ->
                value.isString() ? value : NODES.stringNode(value.isValueNode() ? value.asString() : value.toString());
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    throw mismatch(path, type, value);
                }
                yield value;
            }
            case TINYINT -> NODES.numberNode(integral(value, path, type, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case SMALLINT -> NODES.numberNode(integral(value, path, type, Short.MIN_VALUE, Short.MAX_VALUE));
            case INT -> NODES.numberNode(integral(value, path, type, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case BIGINT -> NODES.numberNode(integral(value, path, type, Long.MIN_VALUE, Long.MAX_VALUE));
            case FLOAT -> {
                if (!value.isNumber() || !Float.isFinite(value.floatValue())) {
                    throw mismatch(path, type, value);
                }
                yield NODES.numberNode(value.floatValue());
            }
            case DOUBLE -> {
                if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                    throw mismatch(path, type, value);
                }
                yield NODES.numberNode(value.doubleValue());
            }
            case STRUCT -> {
                if (!value.isObject()) {
                    throw mismatch(path, type, value);
                }
                yield struct(value, type.fields(), path + ".");
            }
            case ARRAY -> {
                if (!value.isArray()) {
                    throw mismatch(path, type, value);
                }
                ArrayNode out = NODES.arrayNode();
                for (JsonNode element : value) {
                    out.add(value(element, type.element(), path + "[]"));
                }
                yield out;
            }
        };
    }

    private static long integral(JsonNode value, String path, Type type, long min, long max) {
        if (!value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw mismatch(path, type, value);
        }
        long number = value.longValue();
        if (number < min || number > max) {
            throw mismatch(path, type, value);
        }
        return number;
    }

    private static IllegalArgumentException mismatch(String path, Type type, JsonNode value) {
        String shown = value.toString();
        return new IllegalArgumentException(
                path + " is " + (shown.length() > 40 ? shown.substring(0, 40) + "..." : shown)
                        + ", which its column's type " + hive(type) + " cannot hold");
    }

    private static String hive(Type type) {
        return switch (type.kind()) {
            case STRUCT -> "struct";
            case ARRAY -> "array";
            default -> type.kind().name().toLowerCase(Locale.ROOT);
        };
    }

    /** A JSON member by name: the exact name, else the first whose name differs only in case. */
    private static JsonNode member(JsonNode object, String name) {
        JsonNode exact = object.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
