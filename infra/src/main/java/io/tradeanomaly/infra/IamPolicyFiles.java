package io.tradeanomaly.infra;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * Writes {@code k8s/iam/<service>-policy.json}: each service role's policy as synthesized by the CDK app (with the
 * names of docs/contracts.md), as plain IAM JSON with {@code ${Region}} and {@code ${AccountId}} for the pseudo parameters. The stack is
 * the one source of truth; {@code IamPolicyFilesTest} fails when the committed files differ. Regenerate with
 * {@code ./mvnw -pl infra compile exec:java@iam-policies}.
 */
public final class IamPolicyFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Keys first in this order, as people write policies (CloudFormation sorts them). */
    private static final List<String> READING_ORDER =
            List.of("Version", "Statement", "Sid", "Effect", "Action", "Resource", "Condition");

    private IamPolicyFiles() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "../k8s/iam");
        for (Map.Entry<String, String> file :
                policies(PipelineSettings.designDefaults()).entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
            System.out.println("wrote " + dir.resolve(file.getKey()));
        }
    }

    /**
     * Each service's policy for these settings ({@code <service>-policy.json} to its JSON), synthesized by the app:
     * for a test that checks calls against the policies with other resource names than those of docs/contracts.md.
     */
    public static Map<String, String> policies(PipelineSettings settings) {
        App app = new App(AppProps.builder().context(InfraApp.FEATURE_FLAGS).build());
        return render(Template.fromStack(InfraApp.stack(app, settings)).toJSON());
    }

    /** File name to content, for every role tagged with {@link PipelineStack#SERVICE_TAG}. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> render(Map<String, Object> template) {
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
        for (Object value : resources.values()) {
            Map<String, Object> resource = (Map<String, Object>) value;
            if (!"AWS::IAM::Role".equals(resource.get("Type"))) {
                continue;
            }
            Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
            String service = serviceTag(properties);
            if (service == null) {
                continue;
            }
            List<Object> policies = (List<Object>) properties.get("Policies");
            if (policies == null || policies.size() != 1) {
                throw new IllegalStateException(service + " role must have exactly one inline policy");
            }
            Object document = ((Map<String, Object>) policies.get(0)).get("PolicyDocument");
            files.put(service + "-policy.json", toJson(resolve(document)));
        }
        return files;
    }

    @SuppressWarnings("unchecked")
    private static String serviceTag(Map<String, Object> properties) {
        List<Object> tags = (List<Object>) properties.getOrDefault("Tags", List.of());
        for (Object tag : tags) {
            Map<String, Object> pair = (Map<String, Object>) tag;
            if (PipelineStack.SERVICE_TAG.equals(pair.get("Key"))) {
                return (String) pair.get("Value");
            }
        }
        return null;
    }

    /** Resolves {@code Fn::Join} and the pseudo parameters; anything else is a policy the files cannot express. */
    @SuppressWarnings("unchecked")
    static Object resolve(Object node) {
        if (node instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>();
            list.forEach(item -> resolved.add(resolve(item)));
            return resolved;
        }
        if (!(node instanceof Map<?, ?>)) {
            return node;
        }
        Map<String, Object> map = (Map<String, Object>) node;
        if (map.size() == 1 && map.containsKey("Ref")) {
            return switch ((String) map.get("Ref")) {
                case "AWS::Partition" -> "aws";
                case "AWS::Region" -> "${Region}";
                case "AWS::AccountId" -> "${AccountId}";
                default -> throw new IllegalStateException("a policy refers to " + map + "; use names");
            };
        }
        if (map.size() == 1 && map.containsKey("Fn::Join")) {
            List<Object> join = (List<Object>) map.get("Fn::Join");
            StringBuilder text = new StringBuilder();
            for (Object part : (List<Object>) join.get(1)) {
                if (text.length() > 0 && !join.get(0).toString().isEmpty()) {
                    text.append(join.get(0));
                }
                text.append(resolve(part));
            }
            return text.toString();
        }
        if (map.keySet().stream().anyMatch(key -> key.startsWith("Fn::"))) {
            throw new IllegalStateException("a policy uses " + map.keySet() + "; use names");
        }
        Map<String, Object> resolved = new LinkedHashMap<>();
        for (String key : READING_ORDER) {
            if (map.containsKey(key)) {
                resolved.put(key, resolve(map.get(key)));
            }
        }
        map.forEach((key, value) -> resolved.putIfAbsent(key, resolve(value)));
        return resolved;
    }

    private static String toJson(Object document) {
        try {
            DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                    .withObjectIndenter(indenter)
                    .withArrayIndenter(indenter)
                    .withSeparators(
                            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
            return JSON.writer(printer).writeValueAsString(document) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
