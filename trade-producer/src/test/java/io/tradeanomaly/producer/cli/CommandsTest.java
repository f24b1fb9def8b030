package io.tradeanomaly.producer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The producer's commands print their usage for --help (exit 0) and say what is wrong with bad options (exit 2). */
class CommandsTest {

    /** What a command printed and how it ended. */
    record Ran(int status, String out, String err) {}

    static Ran capture(Callable<Integer> command) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            int status = command.call();
            return new Ran(status, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void generateHelpPrintsUsageAndWritesNoTrades(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("trades.jsonl");
        Ran ran = capture(() -> GenerateCommand.run(new String[] {"--help", "--output", output.toString()}));
        assertThat(ran.status()).isZero();
        assertThat(ran.out()).startsWith("usage: generate");
        assertThat(output).doesNotExist();
    }

    @Test
    void generateRefusesAnUnknownOptionABadNumberAndAnUnknownSetting() throws Exception {
        assertThat(capture(() -> GenerateCommand.run(new String[] {"--cuont", "5"})))
                .satisfies(r -> assertThat(r.status()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("unknown option --cuont", "usage: generate"));
        assertThat(capture(() -> GenerateCommand.run(new String[] {"--count", "five"}))
                        .err())
                .contains("--count must be a whole number");
        assertThat(capture(() -> GenerateCommand.run(new String[] {"--count"})).err())
                .contains("--count needs a value");
        assertThat(capture(() -> GenerateCommand.run(new String[] {"--producer.outlier-rate=7"}))
                        .status())
                .isEqualTo(2);
    }

    @Test
    void generateWritesTheTradesItIsAskedFor(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("trades.jsonl");
        Ran ran = capture(() -> GenerateCommand.run(new String[] {"--count", "250", "--output", output.toString()}));
        assertThat(ran.status()).isZero();
        assertThat(Files.readAllLines(output)).hasSize(250);
    }

    @Test
    void replayHelpPrintsUsageAndABadInputOrRateExitsTwo(@TempDir Path dir) throws Exception {
        Ran help = capture(() -> ReplayCommand.run(new String[] {"--help"}));
        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("usage: replay");

        assertThat(capture(() -> ReplayCommand.run(
                        new String[] {"--input", dir.resolve("none.csv").toString()})))
                .satisfies(r -> assertThat(r.status()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err()).contains("cannot read --input"));
        Path file = Files.writeString(dir.resolve("a.jsonl"), "{\"a\":1}\n");
        assertThat(capture(() -> ReplayCommand.run(new String[] {"--input", file.toString(), "--rate", "fast"}))
                        .err())
                .contains("--rate must be records per second");
        assertThat(capture(() -> ReplayCommand.run(new String[] {})).err()).contains("--input is required");
        assertThat(ReplayCommand.rate("500/s")).isEqualTo(500);
    }
}
