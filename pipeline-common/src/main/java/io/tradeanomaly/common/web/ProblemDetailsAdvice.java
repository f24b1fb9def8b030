package io.tradeanomaly.common.web;

import io.tradeanomaly.common.settings.SettingsConflictException;
import io.tradeanomaly.common.settings.SettingsUnavailableException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** RFC 7807 answers for the pipeline's own exceptions (Spring's own ones are handled by Boot's problem details). */
@RestControllerAdvice
public class ProblemDetailsAdvice {

    @ExceptionHandler(InvalidSettingsException.class)
    ProblemDetail invalidSettings(InvalidSettingsException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST, "Invalid settings; nothing was changed: " + e.errors());
        problem.setTitle("Invalid settings");
        problem.setProperty("errors", e.errors());
        return problem;
    }

    @ExceptionHandler(SettingsConflictException.class)
    ProblemDetail settingsConflict(SettingsConflictException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Settings changed concurrently");
        return problem;
    }

    @ExceptionHandler(SettingsUnavailableException.class)
    ProblemDetail settingsUnavailable(SettingsUnavailableException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE,
                "The shared settings cannot be stored now; nothing was changed: " + e.getMessage());
        problem.setTitle("Settings store unavailable");
        return problem;
    }
}
