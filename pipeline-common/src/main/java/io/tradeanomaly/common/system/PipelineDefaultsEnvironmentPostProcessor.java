package io.tradeanomaly.common.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds the settings all three services share, below everything else (a service's own application.yml, the
 * environment and the command line all win): {@code pipeline-defaults.properties} always (Actuator exposure, probes,
 * metric tags), and {@code pipeline-local.properties} when the {@code local} profile is active (the local AWS stack's
 * endpoints and dummy credentials). Keeping them here means the services cannot drift apart.
 */
public class PipelineDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (Arrays.asList(environment.getActiveProfiles()).contains("local")) {
            environment.getPropertySources().addLast(load("pipeline-local.properties"));
        }
        environment.getPropertySources().addLast(load("pipeline-defaults.properties"));
    }

    private static PropertySource<?> load(String name) {
        try {
            return new PropertiesPropertySourceLoader()
                    .load(name, new ClassPathResource(name))
                    .get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
