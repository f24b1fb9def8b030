package io.tradeanomaly.query;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * SQL over the archive with an in-memory DuckDB: the view {@code anomalous_trades} over the archive's objects, then
 * the caller's query. Times are UTC. Nothing is written anywhere, and DuckDB is kept from fetching extensions.
 */
final class ArchiveQuery implements AutoCloseable {

    /** A query's answer: column names and rows (values as JDBC gives them). */
    record Result(List<String> columns, List<List<Object>> rows) {}

    private final Connection connection;
    private final ArchiveTable table;

    ArchiveQuery(ArchiveTable table) {
        this.table = table;
        Properties properties = new Properties();
        properties.setProperty("autoinstall_known_extensions", "false");
        properties.setProperty("autoload_known_extensions", "false");
        try {
            this.connection = DriverManager.getConnection("jdbc:duckdb:", properties);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TimeZone = 'UTC'");
                statement.execute(table.createView());
                for (String alias : table.aliases()) {
                    statement.execute(alias);
                }
            }
        } catch (SQLException e) {
            throw new ArchiveQueryException("Cannot read the archive at " + table.folder() + ": " + e.getMessage(), e);
        }
    }

    ArchiveTable table() {
        return table;
    }

    /** Whether the archived explanations carry what the model expected ({@code EXPECTED}; KDA's do not). */
    boolean explanationsCarryExpected() {
        Result type = run("SELECT column_type FROM (DESCRIBE " + ArchiveTable.NAME
                + ") WHERE column_name = 'ANOMALY_EXPLANATION'");
        return !type.rows().isEmpty()
                && String.valueOf(type.rows().get(0).get(0)).contains("EXPECTED");
    }

    /** Runs one statement; a statement without rows (SET, CREATE ...) answers with no columns. */
    Result run(String sql) {
        try (Statement statement = connection.createStatement()) {
            if (!statement.execute(sql)) {
                return new Result(List.of(), List.of());
            }
            try (ResultSet rows = statement.getResultSet()) {
                ResultSetMetaData meta = rows.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnLabel(i));
                }
                List<List<Object>> result = new ArrayList<>();
                while (rows.next()) {
                    List<Object> row = new ArrayList<>(columns.size());
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(rows.getObject(i));
                    }
                    result.add(row);
                }
                return new Result(columns, result);
            }
        } catch (SQLException e) {
            throw new ArchiveQueryException(message(e), e);
        }
    }

    /** DuckDB's own message ("Parser Error: syntax error at or near ...") is the clear one; JDBC's wrapper adds noise. */
    private static String message(SQLException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage().trim();
        return message.startsWith("java.sql.SQLException: ")
                ? message.substring("java.sql.SQLException: ".length())
                : message;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // an in-memory database: nothing to lose
        }
    }
}
