package io.tradeanomaly.common.web;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Settings that fail validation; answered as a 400 problem detail listing every field error. */
public class InvalidSettingsException extends RuntimeException {

    private final Map<String, String> errors;

    public InvalidSettingsException(Map<String, String> errors) {
        super("Invalid settings: " + errors);
        this.errors = Map.copyOf(errors);
    }

    /** Field path to message, e.g. {@code outlierRate -> must be less than or equal to 1}. */
    public Map<String, String> errors() {
        return errors;
    }

    /** Validates a candidate settings object and throws when it has any constraint violation. */
    public static <T> T requireValid(Validator validator, T candidate) {
        Set<ConstraintViolation<T>> violations = validator.validate(candidate);
        if (!violations.isEmpty()) {
            Map<String, String> errors = new TreeMap<>();
            for (ConstraintViolation<T> violation : violations) {
                errors.merge(violation.getPropertyPath().toString(), violation.getMessage(), (a, b) -> a + "; " + b);
            }
            throw new InvalidSettingsException(errors);
        }
        return candidate;
    }
}
