package dev.httpsd.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DurationUnit;

/**
 * {@code https-server.hsts.*}: HTTP Strict Transport Security (RFC 6797). When enabled, every
 * response on the HTTPS port carries {@code Strict-Transport-Security}, the server's own error
 * responses included; the plain-HTTP listeners (INSECURE mode, {@code redirect-insecure}) never
 * send it, as RFC 6797 §7.2 requires.
 */
public class HstsProperties {

    /** The shortest max-age the HSTS preload list (hstspreload.org) accepts. */
    static final Duration PRELOAD_MIN_MAX_AGE = Duration.ofDays(365);

    /** Whether to send Strict-Transport-Security on every HTTPS response. */
    private boolean enabled = false;

    /** How long browsers keep to HTTPS after seeing the header (max-age); 0 tells them to forget it; a bare number is seconds. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration maxAge = PRELOAD_MIN_MAX_AGE;

    /** Whether the policy covers every subdomain of the host too (includeSubDomains). */
    private boolean includeSubDomains = false;

    /** Whether to ask for inclusion in browsers' HSTS preload list (preload); needs include-sub-domains and a max-age of at least 365 days. */
    private boolean preload = false;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getMaxAge() {
        return maxAge;
    }

    public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
    }

    public boolean isIncludeSubDomains() {
        return includeSubDomains;
    }

    public void setIncludeSubDomains(boolean includeSubDomains) {
        this.includeSubDomains = includeSubDomains;
    }

    public boolean isPreload() {
        return preload;
    }

    public void setPreload(boolean preload) {
        this.preload = preload;
    }

    /**
     * The header value, or null when HSTS is off.
     *
     * @throws InvalidConfigurationPropertyValueException naming the property that breaks RFC 6797
     *     or the preload list's requirements
     */
    String headerValue() {
        if (!enabled) {
            return null;
        }
        if (maxAge == null || maxAge.isNegative()) {
            throw new InvalidConfigurationPropertyValueException(
                    "https-server.hsts.max-age", maxAge, "max-age is a number of seconds, 0 or more");
        }
        if (preload && !includeSubDomains) {
            throw new InvalidConfigurationPropertyValueException(
                    "https-server.hsts.preload",
                    true,
                    "the HSTS preload list requires includeSubDomains: set https-server.hsts.include-sub-domains=true");
        }
        if (preload && maxAge.compareTo(PRELOAD_MIN_MAX_AGE) < 0) {
            throw new InvalidConfigurationPropertyValueException(
                    "https-server.hsts.preload",
                    true,
                    "the HSTS preload list requires a max-age of at least 365 days (31536000 s);"
                            + " https-server.hsts.max-age is " + maxAge.toSeconds() + " s");
        }
        return "max-age=" + maxAge.toSeconds() + (includeSubDomains ? "; includeSubDomains" : "")
                + (preload ? "; preload" : "");
    }
}
