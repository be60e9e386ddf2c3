package dev.httpsd.autoconfigure;

import dev.httpsd.server.proxy.ForwardedHeaders;
import dev.httpsd.server.proxy.TrustedProxies;
import java.util.Locale;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * Spring Boot's {@code server.forward-headers-strategy} applied to httpsd, as Boot applies it to
 * its embedded servers:
 *
 * <ul>
 *   <li>{@code native}: httpsd reads the forwarded headers of the peers in {@code
 *       https-server.forwarded.trusted-proxies}, the family chosen by {@code
 *       https-server.forwarded.headers};
 *   <li>{@code none}: no forwarded header is read;
 *   <li>{@code framework}: Boot then leaves the headers to Spring's {@code ForwardedHeaderFilter}
 *       (Servlet) or {@code ForwardedHeaderTransformer} (WebFlux), which never sit in front of
 *       httpsd's handlers; httpsd reads none, as with {@code none}, and says so in a warning;
 *   <li>not set: {@code native} on a cloud platform Boot detects and says forwards headers
 *       ({@link CloudPlatform#isUsingForwardHeaders()}), {@code none} elsewhere.
 * </ul>
 */
final class ForwardHeadersStrategy {

    static final String STRATEGY = "server.forward-headers-strategy";
    static final String TRUSTED_PROXIES = "https-server.forwarded.trusted-proxies";

    private static final Log LOG = LogFactory.getLog(ForwardHeadersStrategy.class);

    private ForwardHeadersStrategy() {}

    /**
     * @param environment where Boot's property is read; {@code null} reads nothing (none)
     * @return what reads the headers, or {@code null} when none are to be read
     * @throws InvalidConfigurationPropertyValueException on the strategy when it is no strategy,
     *     on the trusted proxies when an entry is no CIDR block
     */
    static ForwardedHeaders resolve(Environment environment, HttpsServerProperties.Forwarded properties) {
        if (!isNative(environment)) {
            return null;
        }
        TrustedProxies trusted;
        try {
            trusted = TrustedProxies.of(properties.getTrustedProxies());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(
                    TRUSTED_PROXIES, String.join(",", properties.getTrustedProxies()), e.getMessage());
        }
        if (trusted.isEmpty()) {
            LOG.warn(STRATEGY + " is native but " + TRUSTED_PROXIES
                    + " is empty: no peer is trusted, so no forwarded header is read");
        }
        return ForwardedHeaders.of(properties.getHeaders(), trusted);
    }

    private static boolean isNative(Environment environment) {
        if (environment == null) {
            return false;
        }
        String value = environment.getProperty(STRATEGY);
        if (value == null || value.isBlank()) {
            CloudPlatform platform = CloudPlatform.getActive(environment);
            return platform != null && platform.isUsingForwardHeaders();
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "native" -> true;
            case "none" -> false;
            case "framework" -> {
                LOG.warn(STRATEGY + "=framework leaves forwarded headers to Spring's ForwardedHeaderFilter"
                        + " (Servlet) or ForwardedHeaderTransformer (WebFlux), which do not run in front of"
                        + " httpsd's handlers: httpsd reads no forwarded header. Use native to have httpsd read"
                        + " them from " + TRUSTED_PROXIES);
                yield false;
            }
            default ->
                throw new InvalidConfigurationPropertyValueException(STRATEGY, value, "one of native, framework, none");
        };
    }
}
