package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.httpsd.test.LocalHttpsServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;

/**
 * https-server-test in MOCK and NONE: the application's fixed ports are not bound, no server starts
 * unless the test's own properties ask for one, and then it runs on a free port.
 */
class MockEnvironmentTestSupportTests {

    @Nested
    @SpringBootTest(classes = TestSupportApplication.class, properties = TestSupportApplication.CONFIG)
    class InMock {

        @Autowired
        ApplicationContext context;

        @Autowired
        LocalHttpsServer server;

        @Test
        void noServerStartsAndTheHandlersAreStillBeans() {
            assertThat(context.getBeanNamesForType(HttpsServerLifecycle.class)).isEmpty();
            assertThat(context.getEnvironment().getProperty("local.https-server.port"))
                    .isNull();
            assertThat(context.getBean(TestSupportApplication.Handlers.class)).isNotNull();
        }

        @Test
        void askingForThePortSaysHowToGetAServer() {
            assertThatIllegalStateException()
                    .isThrownBy(server::port)
                    .withMessageContaining("RANDOM_PORT")
                    .withMessageContaining("https-server.enabled=true");
        }
    }

    @Nested
    @SpringBootTest(
            classes = TestSupportApplication.class,
            webEnvironment = WebEnvironment.NONE,
            properties = TestSupportApplication.CONFIG)
    class InNone {

        @Autowired
        ApplicationContext context;

        @Test
        void noServerStarts() {
            assertThat(context.getBeanNamesForType(HttpsServerLifecycle.class)).isEmpty();
        }
    }

    @Nested
    @SpringBootTest(
            classes = TestSupportApplication.class,
            webEnvironment = WebEnvironment.NONE,
            properties = {TestSupportApplication.CONFIG, "https-server.enabled=true"})
    class InNoneWhenTheTestAsks {

        @Autowired
        LocalHttpsServer server;

        @Test
        void theServerRunsOnAFreePortWithTheTestCertificate() throws Exception {
            assertThat(server.port()).isNotEqualTo(8443);
            assertThat(server.get("/hello").body()).isEqualTo("Hello World");
        }
    }
}
