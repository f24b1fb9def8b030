package io.tradeanomaly.common.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordFilesTest {

    private static List<RecordFiles.Line> read(String file, RecordFiles.Format expected) throws Exception {
        RecordFiles.LineReader reader = RecordFiles.open(new BufferedReader(new StringReader(file)), 1024);
        assertThat(reader.format()).isEqualTo(expected);
        List<RecordFiles.Line> lines = new ArrayList<>();
        reader.forEachRemaining(lines::add);
        return lines;
    }

    @Test
    void jsonLinesAreReadLineByLineAndABadLineIsReportedInPlace() throws Exception {
        List<RecordFiles.Line> lines = read("\n  {\"a\":1}\n\n{broken\n{\"a\":2}\n", RecordFiles.Format.JSON_LINES);

        assertThat(lines).extracting(RecordFiles.Line::number).containsExactly(2L, 4L, 5L);
        assertThat(lines.get(0).record().get("a").intValue()).isEqualTo(1);
        assertThat(lines.get(1).error().reason()).isEqualTo(RejectReason.MALFORMED_JSON);
        assertThat(lines.get(1).text()).isEqualTo("{broken");
    }

    @Test
    void csvCellsBecomeTheJsonValuesTheyWrite() throws Exception {
        List<RecordFiles.Line> lines = read(
                "timestamp,id,value,\"Inlet Pressure, kPa\",flag,note\n"
                        + "2026-01-01 00:00:00,001,12.5,101,true,\"said \"\"hi\"\"\"\n"
                        + "2026-01-01 00:01:00,2,NaN,,false,-\n",
                RecordFiles.Format.CSV);

        assertThat(lines).hasSize(2);
        var first = lines.get(0).record();
        assertThat(first.propertyNames())
                .containsExactly("timestamp", "id", "value", "Inlet Pressure, kPa", "flag", "note");
        assertThat(first.get("id").isString())
                .as("001 is not a JSON number: it stays text")
                .isTrue();
        assertThat(first.get("value").doubleValue()).isEqualTo(12.5);
        assertThat(first.get("Inlet Pressure, kPa").intValue()).isEqualTo(101);
        assertThat(first.get("flag").booleanValue()).isTrue();
        assertThat(first.get("note").stringValue()).isEqualTo("said \"hi\"");
        var second = lines.get(1).record();
        assertThat(second.get("id").intValue()).isEqualTo(2);
        assertThat(second.get("value").doubleValue()).isNaN();
        assertThat(second.get("Inlet Pressure, kPa").isNull()).isTrue();
    }

    @Test
    void aCsvFileWhoseQuotingIsBrokenSaysWhichLine() {
        assertThatThrownBy(() -> read("a,b\n1,\"open\n", RecordFiles.Format.CSV))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CSV line");
    }
}
