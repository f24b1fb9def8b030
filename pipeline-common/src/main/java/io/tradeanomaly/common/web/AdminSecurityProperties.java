package io.tradeanomaly.common.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may change things over REST. Reads are open; every mutating call (PUT, POST, PATCH, DELETE) needs HTTP Basic
 * with these credentials. There is no built-in password: without one, mutations are refused.
 *
 * @param user the admin user name
 * @param password the admin password, normally from the environment variable {@code PIPELINE_ADMIN_PASSWORD}
 */
@ConfigurationProperties("pipeline.admin")
public record AdminSecurityProperties(@DefaultValue("admin") String user, String password) {

    public boolean hasPassword() {
        return password != null && !password.isBlank();
    }
}
