package dev.httpsd.test;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.Ordered;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Adds the {@link LocalHttpsServer}'s {@link RestTestClient} as a bean, unless the context defines
 * a {@code RestTestClient} of its own (the test's, or Spring Boot's for a servlet application).
 */
final class RestTestClientRegistrar implements BeanDefinitionRegistryPostProcessor, Ordered {

    static final String BEAN_NAME = "httpsdRestTestClient";

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        if (!(registry instanceof ConfigurableListableBeanFactory beans)
                || beans.getBeanNamesForType(RestTestClient.class, false, false).length > 0) {
            return;
        }
        RootBeanDefinition definition = new RootBeanDefinition(RestTestClient.class);
        definition.setInstanceSupplier(
                () -> beans.getBean(LocalHttpsServer.class).restTestClient());
        registry.registerBeanDefinition(BEAN_NAME, definition);
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {}

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
