package io.tradeanomaly.infra;

import java.nio.file.Path;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Template;

/**
 * The app synthesized once per test JVM, as {@code npx aws-cdk deploy -c oidcProvider=...} would with its defaults,
 * into target/cdk.out (the template is part of the build output).
 */
final class SynthesizedStack {

    static final String OIDC = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    static final Path OUT = Path.of("target", "cdk.out");

    private static SynthesizedStack instance;

    final PipelineSettings settings;
    final PipelineStack stack;
    final Template template;
    final Annotations annotations;

    private SynthesizedStack() {
        Map<String, Object> context = new java.util.HashMap<>(InfraApp.FEATURE_FLAGS);
        App app = new App(AppProps.builder()
                .outdir(OUT.toAbsolutePath().toString())
                .context(context)
                .build());
        settings = PipelineSettings.fromContext(Map.of("oidcProvider", "https://" + OIDC)::get);
        stack = InfraApp.stack(app, settings);
        template = Template.fromStack(stack);
        annotations = Annotations.fromStack(stack);
        app.synth();
    }

    static synchronized SynthesizedStack get() {
        if (instance == null) {
            instance = new SynthesizedStack();
        }
        return instance;
    }
}
