package dev.httpsd.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.httpsd.server.tls.SessionTicketKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code https-server.ssl.session-ticket-keys.*}: key files for the OpenSSL engine, read at start,
 * followed with {@code reload-on-update} after Boot's SSL bundle watcher's quiet period, and
 * refused on their property, with the reason, where they cannot work.
 */
class SessionTicketKeysTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpsServerAutoConfiguration.class))
            .withPropertyValues("https-server.port-secure=0", "https-server.ssl.engine=openssl")
            .withPropertyValues(TestHttps.inlineServerMaterial());

    @TempDir
    Path dir;

    @Test
    void nginxKeyFilesAreTheServersTicketKeys() throws Exception {
        assumeBoringSsl();
        Path current = Files.write(dir.resolve("current.key"), key(1));
        Path previous = Files.write(dir.resolve("previous.key"), key(2));

        runner.withPropertyValues("https-server.ssl.session-ticket-keys.files=" + current + "," + previous)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(TestHttps.server(context).sessionTicketKeys())
                            .hasValue(SessionTicketKeys.of(key(1), key(2)));
                    assertThat(TestHttps.get(context, "/").statusCode()).isEqualTo(404);
                });
    }

    @Test
    void aHaproxyFileIsReadWithHaproxysRules() throws Exception {
        assumeBoringSsl();
        Path file = Files.writeString(
                dir.resolve("tls-ticket-keys"),
                base64(1) + "\n" + base64(2) + "\n" + base64(3) + "\n",
                StandardCharsets.US_ASCII);

        runner.withPropertyValues(
                        "https-server.ssl.session-ticket-keys.format=haproxy",
                        "https-server.ssl.session-ticket-keys.files=" + file)
                .run(context -> assertThat(TestHttps.server(context).sessionTicketKeys())
                        .hasValue(SessionTicketKeys.of(key(2), key(1), key(3))));
    }

    @Test
    void withReloadOnUpdateARewrittenFileReachesTheRunningServer() throws Exception {
        assumeBoringSsl();
        Path current = Files.write(dir.resolve("current.key"), key(1));

        runner.withPropertyValues(
                        "https-server.ssl.session-ticket-keys.files=" + current,
                        "https-server.ssl.session-ticket-keys.reload-on-update=true",
                        "spring.ssl.bundle.watch.file.quiet-period=100ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Files.write(current, key(7));
                    await().atMost(DEADLINE)
                            .pollInterval(Duration.ofMillis(100))
                            .untilAsserted(
                                    () -> assertThat(TestHttps.server(context).sessionTicketKeys())
                                            .hasValue(SessionTicketKeys.of(key(7))));
                });
    }

    @Test
    void theJdkEngineRefusesKeyFilesOnThePropertyWithJssesReason() throws Exception {
        Path current = Files.write(dir.resolve("current.key"), key(1));

        runner.withPropertyValues(
                        "https-server.ssl.engine=jdk", "https-server.ssl.session-ticket-keys.files=" + current)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, invalid -> {
                                assertThat(invalid.getName()).isEqualTo("https-server.ssl.session-ticket-keys.files");
                                assertThat(invalid.getReason())
                                        .startsWith("the JDK engine (JSSE) cannot use configured session ticket keys");
                            });
                });
    }

    @Test
    void aBrokenKeyFileIsAnErrorOnThePropertyBeforeTheServerStarts() throws Exception {
        Path half = Files.write(dir.resolve("half.key"), Arrays.copyOf(key(1), 30));

        runner.withPropertyValues("https-server.ssl.session-ticket-keys.files=" + half)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, invalid -> {
                                assertThat(invalid.getName()).isEqualTo("https-server.ssl.session-ticket-keys.files");
                                assertThat(invalid.getReason()).contains("the file holds 30 bytes");
                            });
                });
    }

    @Test
    void aLocationThatIsNoFileIsRefusedOnItsEntry() {
        runner.withPropertyValues(
                        "https-server.ssl.session-ticket-keys.files=" + dir.resolve("none.key"),
                        "https-server.ssl.session-ticket-keys.reload-on-update=true")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, invalid -> {
                            assertThat(invalid.getName()).isEqualTo("https-server.ssl.session-ticket-keys.files[0]");
                            assertThat(invalid.getReason()).isEqualTo("no such file");
                        }));
        runner.withPropertyValues(
                        "https-server.ssl.session-ticket-keys.files=classpath:dev/httpsd/autoconfigure/none.key")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void theHaproxyFormatTakesOneFile() throws Exception {
        Path a = Files.writeString(dir.resolve("a"), base64(1), StandardCharsets.US_ASCII);
        Path b = Files.writeString(dir.resolve("b"), base64(2), StandardCharsets.US_ASCII);

        runner.withPropertyValues(
                        "https-server.ssl.session-ticket-keys.format=haproxy",
                        "https-server.ssl.session-ticket-keys.files=" + a + "," + b)
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .isInstanceOfSatisfying(
                                InvalidConfigurationPropertyValueException.class,
                                invalid -> assertThat(invalid.getReason())
                                        .startsWith("the HAProxy format keeps all keys in one file")));
    }

    /** Skips, saying why, where netty-tcnative's BoringSSL does not load on this platform. */
    private static void assumeBoringSsl() {
        assumeTrue(
                io.netty.handler.ssl.OpenSsl.isAvailable(),
                () -> "the OpenSSL engine's native library (netty-tcnative BoringSSL) is not available on this"
                        + " platform: " + io.netty.handler.ssl.OpenSsl.unavailabilityCause());
    }

    private static byte[] key(int n) {
        byte[] key = new byte[SessionTicketKeys.KEY_LENGTH];
        Arrays.fill(key, (byte) n);
        return key;
    }

    private static String base64(int n) {
        return Base64.getEncoder().encodeToString(key(n));
    }
}
