package io.tradeanomaly.common.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers unauthenticated mutations with a 401 RFC 7807 problem. Browsers' own login dialog is not triggered for
 * requests marked {@code X-Requested-With: XMLHttpRequest} (the live page asks for the credentials itself).
 */
final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final boolean passwordConfigured;

    ProblemAuthenticationEntryPoint(boolean passwordConfigured) {
        this.passwordConfigured = passwordConfigured;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (!"XMLHttpRequest".equals(request.getHeader("X-Requested-With"))) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"trade-anomaly-pipeline\"");
        }
        String detail = passwordConfigured
                ? "This call changes settings: send the admin credentials (HTTP Basic, user admin)."
                : "This call changes settings, and no admin password is configured: set PIPELINE_ADMIN_PASSWORD.";
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"" + detail
                        + "\",\"instance\":\"" + request.getRequestURI().replace("\"", "") + "\"}");
    }
}
