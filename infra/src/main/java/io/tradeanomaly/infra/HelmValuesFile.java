package io.tradeanomaly.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * Writes {@code k8s/ci/cdk-values.json}: the stack's {@code HelmValues} output as {@code cdk deploy} would give it, for
 * an example account ({@value #ACCOUNT}, {@value #REGION}), the archive prefix {@value #PREFIX} and the archive's
 * customer-managed KMS key {@value #KEY_ARN}. The chart's tests
 * install with it ({@code HelmChartTest}), and {@code HelmValuesFileTest} fails when it differs from the app's, so
 * the values the CDK app hands over are the ones the chart is tested with. Regenerate with
 * {@code ./mvnw -pl infra compile exec:java@helm-values}.
 */
public final class HelmValuesFile {

    static final String ACCOUNT = "123456789012";
    static final String REGION = "eu-west-1";
    static final String PREFIX = "anomalies/";
    static final String BUCKET = "anomalous-trades-archive-" + ACCOUNT + "-" + REGION;
    /** An example customer-managed key (AWS's documentation example key id). */
    static final String KEY_ARN = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private HelmValuesFile() {}

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "../k8s/ci/cdk-values.json");
        Files.writeString(file, render());
        System.out.println("wrote " + file);
    }

    /** The example settings: the app's defaults with a bucket name, an archive prefix and the archive's KMS key. */
    static PipelineSettings settings() {
        PipelineSettings defaults = PipelineSettings.designDefaults();
        return new PipelineSettings(
                        defaults.oidcProvider(),
                        defaults.namespace(),
                        defaults.tradesStream(),
                        defaults.tradesShards(),
                        defaults.anomaliesStream(),
                        defaults.anomaliesShards(),
                        defaults.retentionHours(),
                        BUCKET,
                        defaults.archivePrefix(),
                        defaults.detectorApplication(),
                        defaults.archiverApplication(),
                        defaults.glueDatabase(),
                        defaults.archiveSince(),
                        KEY_ARN,
                        defaults.archiveFormat())
                .withArchivePrefix(PREFIX);
    }

    /** The example stack's template. */
    static Map<String, Object> template() {
        App app = new App(AppProps.builder().context(InfraApp.FEATURE_FLAGS).build());
        return Template.fromStack(InfraApp.stack(app, settings())).toJSON();
    }

    static String render() {
        return render(template());
    }

    /** The example stack's HelmValues output, its tokens resolved as CloudFormation would, pretty-printed. */
    static String render(Map<String, Object> template) {
        PipelineSettings settings = settings();
        @SuppressWarnings("unchecked")
        Map<String, Object> outputs = (Map<String, Object>) template.get("Outputs");
        @SuppressWarnings("unchecked")
        Object value = ((Map<String, Object>) outputs.get("HelmValues")).get("Value");
        try {
            ObjectMapper json = new ObjectMapper();
            Object values = json.readValue(resolve(value, settings), Object.class);
            return json.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(values) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static String resolve(Object node, PipelineSettings settings) {
        if (node instanceof String text) {
            return text;
        }
        Map<String, Object> map = (Map<String, Object>) node;
        if (map.containsKey("Fn::Join")) {
            List<Object> join = (List<Object>) map.get("Fn::Join");
            StringBuilder text = new StringBuilder();
            for (Object part : (List<Object>) join.get(1)) {
                text.append(resolve(part, settings));
            }
            return text.toString();
        }
        if (map.containsKey("Ref")) {
            String ref = (String) map.get("Ref");
            return switch (ref) {
                case "AWS::Region" -> REGION;
                case "AWS::AccountId" -> ACCOUNT;
                case "AWS::Partition" -> "aws";
                default -> {
                    if (ref.startsWith("ArchiveBucket")) {
                        yield settings.bucketName();
                    }
                    throw new IllegalStateException("HelmValues refers to " + ref);
                }
            };
        }
        if (map.containsKey("Fn::GetAtt")) {
            List<Object> attribute = (List<Object>) map.get("Fn::GetAtt");
            if ("Arn".equals(attribute.get(1))) {
                return "arn:aws:iam::" + ACCOUNT + ":role/" + attribute.get(0);
            }
        }
        throw new IllegalStateException("HelmValues holds " + map + ", which this file cannot resolve");
    }
}
