package io.tradeanomaly.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app ({@code cdk.json}: {@code npx aws-cdk deploy -c oidcProvider=...}): one stack,
 * {@value #STACK_NAME}, checked by cdk-nag's AwsSolutions rules at every synth.
 */
public final class InfraApp {

    public static final String STACK_NAME = "TradeAnomalyPipeline";

    /** CDK feature flags of this app (in code rather than cdk.json, so that the tests synthesize the same). */
    static final Map<String, Object> FEATURE_FLAGS = Map.of(
            // server access logs delivered under a bucket policy (the log bucket keeps ACLs disabled)
            "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);

    private InfraApp() {}

    public static void main(String[] args) {
        App app = new App(AppProps.builder().context(FEATURE_FLAGS).build());
        PipelineSettings settings =
                PipelineSettings.fromContext(key -> app.getNode().tryGetContext(key));
        stack(app, settings);
        app.synth();
    }

    /** The pipeline's stack in {@code app}, with cdk-nag's AwsSolutions checks on it. */
    public static PipelineStack stack(App app, PipelineSettings settings) {
        PipelineStack stack = new PipelineStack(
                app,
                STACK_NAME,
                StackProps.builder()
                        .description("Trade Anomaly Pipeline: Kinesis streams, S3 archive, IRSA roles")
                        .build(),
                settings);
        Aspects.of(app)
                .add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return stack;
    }
}
