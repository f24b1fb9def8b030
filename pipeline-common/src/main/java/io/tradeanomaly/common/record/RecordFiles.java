package io.tradeanomaly.common.record;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * Reads a user's file of records, as the {@code backtest} and {@code replay} commands take it: JSON lines (one JSON
 * object per line) or CSV with a header line, told apart by the first character that is not blank ({@code {} starts
 * JSON lines). CSV cells become JSON values: a cell in JSON's number syntax becomes a number ({@code 001} stays text),
 * {@code true}/{@code false} a boolean, an empty cell null (a missing value), {@code NaN}/{@code Infinity} a
 * non-finite number (so that a feature holding one is refused as such), anything else text. Blank lines are skipped.
 * A line that is not a record (bad JSON) comes back as a {@link Line} with its error, so that the caller can report it
 * and go on; a CSV file whose quoting is broken ends the reading with an {@link IllegalArgumentException} naming the
 * line.
 */
public final class RecordFiles {

    /** The two formats. */
    public enum Format {
        JSON_LINES,
        CSV
    }

    /**
     * One record of the file.
     *
     * @param number its line number in the file (1-based; for CSV the line where the row starts)
     * @param text the line as read (JSON lines) or null (CSV)
     * @param record the record, or null when it is not one
     * @param error why it is not one, or null
     */
    public record Line(long number, String text, ObjectNode record, RecordRejectedException error) {}

    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final JsonNodeFactory NODES = JsonRecords.mapper().getNodeFactory();

    private RecordFiles() {}

    /** Opens a reader over the file's records, detecting its format. */
    public static LineReader open(BufferedReader input, int maxRecordBytes) throws IOException {
        input.mark(1 << 16);
        int c;
        do {
            c = input.read();
        } while (c != -1 && Character.isWhitespace(c));
        input.reset();
        return c == '{' || c == -1 ? new JsonLines(input, maxRecordBytes) : new Csv(input);
    }

    /** The records of a file, in order. */
    public interface LineReader extends Iterator<Line> {
        Format format();
    }

    private static final class JsonLines implements LineReader {
        private final BufferedReader input;
        private final int maxRecordBytes;
        private long number;
        private Line next;

        JsonLines(BufferedReader input, int maxRecordBytes) {
            this.input = input;
            this.maxRecordBytes = maxRecordBytes;
        }

        @Override
        public Format format() {
            return Format.JSON_LINES;
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                String text;
                try {
                    text = input.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (text == null) {
                    return false;
                }
                number++;
                if (text.isBlank()) {
                    continue;
                }
                try {
                    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    next = new Line(number, text, JsonRecords.parseObject(bytes, maxRecordBytes), null);
                } catch (RecordRejectedException e) {
                    next = new Line(number, text, null, e);
                }
            }
            return true;
        }

        @Override
        public Line next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Line line = next;
            next = null;
            return line;
        }
    }

    private static final class Csv implements LineReader {
        private final MappingIterator<Map<String, String>> rows;

        Csv(Reader input) {
            CsvMapper mapper = CsvMapper.builder()
                    .enable(CsvReadFeature.IGNORE_TRAILING_UNMAPPABLE)
                    .enable(CsvReadFeature.SKIP_EMPTY_LINES)
                    .enable(CsvReadFeature.TRIM_SPACES)
                    .build();
            CsvSchema header = CsvSchema.emptySchema().withHeader();
            try {
                rows = mapper.readerForMapOf(String.class).with(header).readValues(input);
            } catch (JacksonException e) {
                throw new IllegalArgumentException("not a CSV file with a header line: " + e.getOriginalMessage(), e);
            }
        }

        @Override
        public Format format() {
            return Format.CSV;
        }

        @Override
        public boolean hasNext() {
            try {
                return rows.hasNextValue();
            } catch (JacksonException e) {
                throw broken(e);
            }
        }

        @Override
        public Line next() {
            try {
                long number = rows.currentLocation() == null
                        ? 0
                        : rows.currentLocation().getLineNr();
                Map<String, String> row = rows.nextValue();
                ObjectNode record = NODES.objectNode();
                row.forEach((name, cell) -> record.set(name, cell(cell)));
                return new Line(number, null, record, null);
            } catch (JacksonException e) {
                throw broken(e);
            }
        }

        private IllegalArgumentException broken(JacksonException e) {
            long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            return new IllegalArgumentException("CSV line " + line + " cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    /** A CSV cell as a JSON value. */
    static JsonNode cell(String cell) {
        if (cell == null || cell.isEmpty()) {
            return NODES.nullNode();
        }
        if (NUMBER.matcher(cell).matches()) {
            return JsonRecords.mapper().readTree(cell);
        }
        return switch (cell.toLowerCase(Locale.ROOT)) {
            case "true" -> NODES.booleanNode(true);
            case "false" -> NODES.booleanNode(false);
            case "nan" -> NODES.numberNode(Double.NaN);
            case "infinity", "+infinity", "inf", "+inf" -> NODES.numberNode(Double.POSITIVE_INFINITY);
            case "-infinity", "-inf" -> NODES.numberNode(Double.NEGATIVE_INFINITY);
            default -> NODES.stringNode(cell);
        };
    }
}
