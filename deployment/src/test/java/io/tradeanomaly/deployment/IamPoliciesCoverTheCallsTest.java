package io.tradeanomaly.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.localaws.LocalAwsNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every AWS call a service made in its integration tests (recorded by {@code pipeline.aws.call-log}, an SDK execution
 * interceptor, into {@code <module>/target/aws-calls/}) is allowed by the service's IAM policy in {@code k8s/iam/}:
 * the action, the resource (the tests' suffixed resource names mapped back to the defaults the policies name) and an
 * S3 listing's prefix condition (a call whose request names no resource, such as GetRecords with its iterator, needs
 * the action on some resource). A policy can thus never silently lag the code again. Runs after the services'
 * integration tests in the reactor; without their logs it is skipped locally and fails in CI.
 */
class IamPoliciesCoverTheCallsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest
    @CsvSource({"trade-producer", "anomaly-detector", "s3-archiver"})
    void everyCallTheServiceMadeIsAllowedByItsPolicy(String service) throws IOException {
        List<String> calls = calls(Tools.ROOT.resolve(service).resolve("target/aws-calls"));
        JsonNode policy = JSON.readTree(
                Tools.ROOT.resolve("k8s/iam").resolve(service + "-policy.json").toFile());

        List<String> denied = new ArrayList<>();
        for (String call : calls) {
            if (!allowed(policy, call)) {
                denied.add(call);
            }
        }
        assertThat(calls).isNotEmpty();
        assertThat(denied).as("calls of %s its policy does not allow", service).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void theCheckDeniesWhatAPolicyDoesNotGrant() {
        JsonNode policy = JSON.readTree("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],
                   "Resource":"arn:aws:s3:::anomalous-trades-archive/errors/*"},
                  {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::anomalous-trades-archive",
                   "Condition":{"StringLike":{"s3:prefix":["errors/*"]}}},
                  {"Effect":"Allow","Action":"kinesis:GetRecords",
                   "Resource":"arn:aws:kinesis:${Region}:${AccountId}:stream/stock-trades"}]}""");

        assertThat(allowed(policy, "s3:PutObject arn:aws:s3:::anomalous-trades-archive/errors/x.json"))
                .isTrue();
        assertThat(allowed(policy, "s3:PutObject arn:aws:s3:::anomalous-trades-archive/2026/x.json"))
                .isFalse();
        assertThat(allowed(policy, "s3:DeleteObject arn:aws:s3:::anomalous-trades-archive/errors/x.json"))
                .isFalse();
        assertThat(allowed(policy, "s3:ListObjectsV2 arn:aws:s3:::anomalous-trades-archive prefix=errors/2026/"))
                .isTrue();
        assertThat(allowed(policy, "s3:ListObjectsV2 arn:aws:s3:::anomalous-trades-archive prefix=2026/"))
                .isFalse();
        assertThat(allowed(policy, "kinesis:GetRecords arn:aws:kinesis:us-east-1:*:stream/stock-trades"))
                .isTrue();
        assertThat(allowed(policy, "kinesis:GetRecords arn:aws:kinesis:us-east-1:*:stream/anomalous-trades"))
                .isFalse();
    }

    /** The calls recorded, with the tests' resource names mapped to the defaults, each once. */
    private static List<String> calls(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            String message = dir + " is missing: the service's integration tests record it (./mvnw verify)";
            if ("true".equals(System.getenv("REQUIRE_DEPLOY_TOOLS"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        TreeSet<String> calls = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        calls.add(LocalAwsNamespace.defaultNamesIn(line.trim()));
                    }
                }
            }
        }
        return List.copyOf(calls);
    }

    /** Whether some Allow statement grants the call's action on its resource (and its S3 listing prefix). */
    static boolean allowed(JsonNode policy, String call) {
        String[] parts = call.split(" ");
        String action = iamAction(parts[0]);
        String resource = parts.length > 1 ? parts[1] : "*";
        String prefix = parts.length > 2 && parts[2].startsWith("prefix=") ? parts[2].substring(7) : null;
        for (JsonNode statement : policy.get("Statement")) {
            if (!"Allow".equals(statement.get("Effect").asString())) {
                continue;
            }
            if (values(statement.get("Action")).stream()
                    .noneMatch(a -> glob(a).matcher(action).matches())) {
                continue;
            }
            // a request that names no resource (GetRecords takes only an iterator) needs the action on some resource
            if (!resource.equals("*")
                    && values(statement.get("Resource")).stream()
                            .noneMatch(r -> glob(r).matcher(resource).matches())) {
                continue;
            }
            if (prefixAllowed(statement.get("Condition"), prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The IAM action an SDK operation needs (they differ for a few S3 calls). */
    static String iamAction(String operation) {
        return switch (operation) {
            case "s3:ListObjectsV2", "s3:ListObjects" -> "s3:ListBucket";
            case "s3:HeadObject" -> "s3:GetObject";
            case "s3:HeadBucket" -> "s3:ListBucket";
            default -> operation;
        };
    }

    private static boolean prefixAllowed(JsonNode condition, String prefix) {
        if (condition == null || condition.isNull()) {
            return true;
        }
        for (Map.Entry<String, JsonNode> operator : condition.properties()) {
            JsonNode prefixes = operator.getValue().get("s3:prefix");
            if (prefixes == null) {
                continue;
            }
            if (prefix == null
                    || values(prefixes).stream()
                            .noneMatch(p -> glob(p).matcher(prefix).matches())) {
                return false;
            }
        }
        return true;
    }

    private static List<String> values(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isArray()) {
            List<String> values = new ArrayList<>();
            node.forEach(v -> values.add(v.asString()));
            return values;
        }
        return List.of(node.asString());
    }

    /** An IAM pattern ({@code *}, {@code ?}, and the policy files' {@code ${Region}}-style placeholders) as a regex. */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        String withoutPlaceholders = pattern.replaceAll("\\$\\{[^}]+}", "*");
        for (char c : withoutPlaceholders.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
