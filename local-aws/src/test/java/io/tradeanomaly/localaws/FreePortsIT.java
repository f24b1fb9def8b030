package io.tradeanomaly.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A free port taken by another process before the stack binds it makes the stack choose its ports again. */
class FreePortsIT {

    @Test
    void aPortTakenBeforeTheStackBindsItIsChosenAgain() throws Exception {
        Path logs = Files.createTempDirectory(Path.of("target"), "free-ports-");
        List<LocalAwsStack.Ports> offered = new ArrayList<>();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalAwsStack.Ports free = LocalAwsStack.Ports.free();
            // the first ports offered: S3's is held by someone else, as a connection's ephemeral port may be
            LocalAwsStack.Ports first = new LocalAwsStack.Ports(
                    free.kinesisTls(), free.kinesisPlain(), free.dynamoDb(), taken.getLocalPort());
            try (LocalAwsStack stack = LocalAwsStack.startOnFreePorts(
                    () -> {
                        LocalAwsStack.Ports ports = offered.isEmpty() ? first : LocalAwsStack.Ports.free();
                        offered.add(ports);
                        return ports;
                    },
                    logs,
                    null)) {
                assertThat(offered).hasSize(2);
                assertThat(stack.ports()).isEqualTo(offered.get(1));
                assertThat(stack.s3().listBuckets().buckets()).isNotNull();
            }
        }
    }
}
