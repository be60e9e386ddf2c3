package dev.httpsd.autoconfigure.handler;

/**
 * Validates bound bodies, with no Bean Validation type in its signature so that the model loads
 * without it; {@link JakartaBodyValidator} is the implementation.
 */
interface BodyValidator {

    /** @throws BodyValidationException listing the violations, when there are any */
    void validate(Object body, Class<?>[] groups);
}
