package dev.httpsd.autoconfigure;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.SimpleReflectiveProcessor;
import org.springframework.core.annotation.MergedAnnotations;

/**
 * What a native image needs of a {@code @UriMapping} method beyond its invocation: the types it
 * reads from and writes to JSON ({@code @Body} parameters, returned objects) are registered for
 * data binding, as Spring MVC's processor does for its controllers.
 */
final class HandlerReflectiveProcessor extends SimpleReflectiveProcessor {

    private static final String[] BODY_ANNOTATIONS = {
        "dev.httpsd.autoconfigure.handler.Body", "org.springframework.web.bind.annotation.RequestBody"
    };

    private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

    @Override
    protected void registerMethodHint(ReflectionHints hints, Method method) {
        super.registerMethodHint(hints, method);
        for (Parameter parameter : method.getParameters()) {
            if (isBody(parameter)) {
                bindings.registerReflectionHints(hints, parameter.getParameterizedType());
            }
        }
        Type returned = method.getGenericReturnType();
        Class<?> raw = method.getReturnType();
        if (raw != void.class && raw != String.class && raw != byte[].class) {
            bindings.registerReflectionHints(hints, returned);
        }
    }

    private static boolean isBody(AnnotatedElement parameter) {
        MergedAnnotations annotations = MergedAnnotations.from(parameter);
        for (String annotation : BODY_ANNOTATIONS) {
            if (annotations.isPresent(annotation)) {
                return true;
            }
        }
        return false;
    }
}
