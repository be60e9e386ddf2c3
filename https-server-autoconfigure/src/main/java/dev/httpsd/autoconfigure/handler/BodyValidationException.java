package dev.httpsd.autoconfigure.handler;

import java.util.List;

/**
 * A {@code @Valid} request body that violates its constraints. Answered {@code 400} with the
 * violations (an {@code errors} array in the problem's JSON), unless an {@link ExceptionMapping}
 * method takes it.
 */
public class BodyValidationException extends RequestBindingException {

    private static final long serialVersionUID = 1L;

    /**
     * One violated constraint.
     *
     * @param field the property path in the body, e.g. {@code address.city}; empty for the whole body
     * @param message the constraint's message
     */
    public record Violation(String field, String message) {}

    private final transient List<Violation> violations;

    public BodyValidationException(String detail, List<Violation> violations) {
        super(detail, null);
        this.violations = List.copyOf(violations);
    }

    /** The violations, ordered by field. */
    public List<Violation> violations() {
        return violations;
    }
}
