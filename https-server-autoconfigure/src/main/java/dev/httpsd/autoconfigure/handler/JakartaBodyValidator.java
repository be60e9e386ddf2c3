package dev.httpsd.autoconfigure.handler;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.BeanFactory;

/** {@link BodyValidator} on the application's {@link Validator} (Spring Boot's, from spring-boot-starter-validation). */
final class JakartaBodyValidator implements BodyValidator {

    private final Validator validator;

    JakartaBodyValidator(Validator validator) {
        this.validator = validator;
    }

    /** On the application's {@code Validator} bean, or {@code null} when it has none. */
    static BodyValidator create(BeanFactory beans) {
        Validator validator = beans.getBeanProvider(Validator.class).getIfUnique();
        return validator == null ? null : new JakartaBodyValidator(validator);
    }

    @Override
    public void validate(Object body, Class<?>[] groups) {
        Set<ConstraintViolation<Object>> violations = validator.validate(body, groups);
        if (violations.isEmpty()) {
            return;
        }
        List<BodyValidationException.Violation> listed = violations.stream()
                .map(v -> new BodyValidationException.Violation(
                        v.getPropertyPath().toString(), v.getMessage()))
                .sorted(Comparator.comparing(BodyValidationException.Violation::field)
                        .thenComparing(BodyValidationException.Violation::message))
                .toList();
        throw new BodyValidationException(
                "The request body is not a valid " + body.getClass().getSimpleName() + ": " + listed.size()
                        + (listed.size() == 1 ? " constraint violated" : " constraints violated"),
                listed);
    }
}
