package io.tradeanomaly.detector.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.common.record.JsonRecords;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backtest command: usage on --help, exit 2 with what is wrong, one output line per input line. */
class BacktestCommandTest {

    record Ran(int status, String out, String err) {}

    static Ran backtest(String... args) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            int status = BacktestCommand.run(args);
            return new Ran(status, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() throws Exception {
        Ran ran = backtest("--help");
        assertThat(ran.status()).isZero();
        assertThat(ran.out()).startsWith("usage: backtest").contains("--detector.input.key");
    }

    @Test
    void aBadOptionAMissingFileOrAnUnknownSettingExitsTwoSayingWhat(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("in.jsonl"), "{\"v\":1}\n");
        assertThat(backtest("--inptu", file.toString()).err()).contains("unknown option --inptu");
        assertThat(backtest("--input", dir.resolve("missing.jsonl").toString()))
                .satisfies(r -> assertThat(r.status()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("cannot read --input", "no such file"));
        Ran unknown = backtest("--input", file.toString(), "--detector.adopt-shift-after=3");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("detector.adopt-shift-after");
        Ran features = backtest("--input", file.toString(), "--detector.input.features=");
        assertThat(features.status()).isEqualTo(2);
        assertThat(features.err()).contains("detector.input.features must name 1 to 32 fields");
    }

    @Test
    void writesOneLinePerInputLineAndTheFiguresLast(@TempDir Path dir) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            lines.append("{\"k\":\"a\",\"v\":").append(10 + i % 5).append("}\n");
        }
        Path input = Files.writeString(dir.resolve("in.jsonl"), lines);
        Path output = dir.resolve("out.jsonl");

        Ran ran = backtest(
                "--input",
                input.toString(),
                "--output",
                output.toString(),
                "--detector.input.key=k",
                "--detector.input.features=v");

        assertThat(ran.status()).isZero();
        List<String> written = Files.readAllLines(output);
        assertThat(written).hasSize(300);
        assertThat(JsonRecords.mapper().readTree(written.get(0)).propertyNames())
                .containsExactly("k", "v", "ANOMALY_SCORE", "ANOMALY_EXPLANATION", "anomaly");
        String last = ran.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(JsonRecords.mapper().readTree(last).get("records").longValue())
                .isEqualTo(300);
    }
}
