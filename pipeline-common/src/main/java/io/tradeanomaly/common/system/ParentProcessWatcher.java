package io.tradeanomaly.common.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * With {@code pipeline.parent-pid} set (as {@code ./run-local.sh} does), the service closes its context gracefully when
 * that process ends, so that a killed run script leaves no service behind.
 */
@AutoConfiguration
@ConditionalOnProperty("pipeline.parent-pid")
public class ParentProcessWatcher {

    private static final Logger log = LoggerFactory.getLogger(ParentProcessWatcher.class);

    @Bean
    ApplicationListener<ApplicationReadyEvent> exitWithParentProcess(
            org.springframework.core.env.Environment environment) {
        long pid = environment.getRequiredProperty("pipeline.parent-pid", Long.class);
        return event -> {
            ConfigurableApplicationContext context = event.getApplicationContext();
            ProcessHandle.of(pid)
                    .map(ProcessHandle::onExit)
                    .ifPresentOrElse(exit -> exit.thenRun(() -> close(context, pid)), () -> close(context, pid));
        };
    }

    private static void close(ConfigurableApplicationContext context, long pid) {
        log.info("Parent process {} is gone; shutting down", pid);
        SpringApplication.exit(context);
    }
}
