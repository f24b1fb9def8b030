package io.tradeanomaly.producer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.localaws.LocalAwsStack;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.model.Record;
import tools.jackson.databind.JsonNode;

/** {@code replay} puts a user's file onto a stream of the local AWS stack, in order, keyed by a field. */
@ExtendWith(LocalAwsExtension.class)
class ReplayIT {

    private static List<String> args(LocalAwsStack stack, String stream, String... own) {
        List<String> args = new ArrayList<>(List.of(own));
        args.add("--producer.stream=" + stream);
        stack.springProperties().forEach((name, value) -> args.add("--" + name + "=" + value));
        return args;
    }

    @Test
    void jsonLinesArePutAsWrittenInOrderWithTheirKeyFieldAsPartitionKey(LocalAwsStack stack, @TempDir Path dir)
            throws Exception {
        String stream = "replay-json-" + System.nanoTime();
        stack.createStream(stream, 2);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            lines.add("{\"device\":{\"id\":\"pump-" + (i % 3) + "\"},\"seq\":" + i + ",\"temp\":" + (20 + i % 7) + "}");
        }
        lines.add(150, "not a record");
        Path file = Files.write(dir.resolve("sensors.jsonl"), lines);

        int status =
                ReplayCommand.run(args(stack, stream, "--input", file.toString(), "--rate", "0", "--key", "device.id")
                        .toArray(String[]::new));

        assertThat(status).isZero();
        List<Record> put = stack.readAll(stream);
        assertThat(put).hasSize(301);
        assertThat(put.stream().map(r -> r.data().asUtf8String())).containsExactlyInAnyOrderElementsOf(lines);
        Map<String, List<Integer>> sequencesByKey = put.stream()
                .filter(r -> r.partitionKey().startsWith("pump-"))
                .collect(Collectors.groupingBy(
                        Record::partitionKey,
                        Collectors.mapping(
                                r -> JsonRecords.mapper()
                                        .readTree(r.data().asByteArray())
                                        .get("seq")
                                        .intValue(),
                                Collectors.toList())));
        assertThat(sequencesByKey).hasSize(3);
        sequencesByKey.forEach((key, sequences) -> {
            assertThat(sequences).as("%s in file order", key).isSorted();
            assertThat(sequences).allMatch(seq -> key.equals("pump-" + (seq % 3)));
        });
    }

    @Test
    void csvRowsArePutAsJsonObjectsAtTheGivenRate(LocalAwsStack stack, @TempDir Path dir) throws Exception {
        String stream = "replay-csv-" + System.nanoTime();
        stack.createStream(stream, 1);
        StringBuilder csv = new StringBuilder("timestamp,host,cpu\n");
        for (int i = 0; i < 40; i++) {
            csv.append("2026-03-01 10:00:")
                    .append(String.format("%02d", i))
                    .append(",web-1,")
                    .append(40 + i)
                    .append('\n');
        }
        Path file = Files.writeString(dir.resolve("cpu.csv"), csv, StandardCharsets.UTF_8);
        long start = System.nanoTime();

        int status =
                ReplayCommand.run(args(stack, stream, "--input", file.toString(), "--rate", "100/s", "--key", "host")
                        .toArray(String[]::new));

        assertThat(status).isZero();
        assertThat((System.nanoTime() - start) / 1e9).as("40 records at 100/s").isGreaterThanOrEqualTo(0.35);
        List<Record> put = stack.readAll(stream);
        assertThat(put).hasSize(40);
        JsonNode first = JsonRecords.mapper().readTree(put.get(0).data().asByteArray());
        assertThat(first.propertyNames()).containsExactly("timestamp", "host", "cpu");
        assertThat(first.get("cpu").intValue()).isEqualTo(40);
        assertThat(put).allMatch(r -> r.partitionKey().equals("web-1"));
    }
}
