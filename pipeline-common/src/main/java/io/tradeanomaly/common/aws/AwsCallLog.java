package io.tradeanomaly.common.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;

/**
 * Appends every distinct AWS call a service makes to a file, one line each: {@code <service>:<Operation> <resource>},
 * the resource as an ARN with the account left as {@code *} (an S3 listing adds {@code prefix=<prefix>}). The build
 * turns it on in the integration tests ({@code pipeline.aws.call-log}) and checks each line against the service's IAM
 * policy, so that a policy can never silently lag the code.
 */
public final class AwsCallLog implements ExecutionInterceptor {

    private final Path file;
    private final Set<String> written = ConcurrentHashMap.newKeySet();

    public AwsCallLog(Path file) {
        this.file = file;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Region region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
        String line = line(service, operation, region == null ? "*" : region.id(), context.request());
        if (written.add(line)) {
            append(line);
        }
    }

    static String line(String service, String operation, String region, SdkRequest request) {
        String prefix = service.toLowerCase(Locale.ROOT);
        String resource = switch (prefix) {
            case "kinesis" ->
                field(request, "StreamName")
                        .map(stream -> "arn:aws:kinesis:" + region + ":*:stream/" + stream)
                        .or(() -> field(request, "StreamARN"))
                        .orElse("*");
            case "dynamodb" ->
                field(request, "TableName")
                        .map(table -> "arn:aws:dynamodb:" + region + ":*:table/" + table
                                + field(request, "IndexName")
                                        .map(i -> "/index/" + i)
                                        .orElse(""))
                        .orElse("*");
            case "s3" ->
                field(request, "Bucket")
                        .map(bucket -> "arn:aws:s3:::" + bucket
                                + field(request, "Key").map(k -> "/" + k).orElse("")
                                + field(request, "Prefix")
                                        .map(p -> " prefix=" + p)
                                        .orElse(""))
                        .orElse("*");
            default -> "*";
        };
        return prefix + ":" + operation + " " + resource;
    }

    private static java.util.Optional<String> field(SdkRequest request, String name) {
        try {
            return request.getValueForField(name, String.class);
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private synchronized void append(String line) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(
                    file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the AWS call log " + file, e);
        }
    }
}
