package dev.httpsd.test;

import dev.httpsd.server.tls.ClientAuth;
import java.util.List;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Gives every {@code @SpringBootTest} context of an application on the starter httpsd's test setup
 * ({@link HttpsServerTestContextCustomizer}); other test contexts are left alone. Registered in
 * {@code META-INF/spring.factories}.
 */
final class HttpsServerTestContextCustomizerFactory implements ContextCustomizerFactory {

    /** The starter's auto-configuration: without it there is no httpsd server to set up. */
    private static final String AUTO_CONFIGURATION = "dev.httpsd.autoconfigure.HttpsServerAutoConfiguration";

    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        SpringBootTest boot = TestContextAnnotationUtils.findMergedAnnotation(testClass, SpringBootTest.class);
        if (boot == null || !ClassUtils.isPresent(AUTO_CONFIGURATION, testClass.getClassLoader())) {
            return null;
        }
        MutualTls mutualTls = TestContextAnnotationUtils.findMergedAnnotation(testClass, MutualTls.class);
        ClientAuth clientAuth = mutualTls == null ? null : mutualTls.value();
        if (clientAuth == ClientAuth.NONE) {
            throw new IllegalStateException("@MutualTls(NONE) on " + testClass.getName()
                    + " asks for no client certificate: remove the annotation, or use REQUIRED or OPTIONAL");
        }
        boolean record = TestContextAnnotationUtils.findMergedAnnotation(testClass, RecordServerEvents.class) != null;
        return new HttpsServerTestContextCustomizer(boot.webEnvironment(), clientAuth, record);
    }
}
