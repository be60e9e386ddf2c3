package dev.httpsd.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.convert.DurationUnit;

/**
 * {@code https-server.cors.*}: cross-origin resource sharing for every handler, in the shape of
 * Spring Boot's {@code management.endpoints.web.cors.*} and Spring's {@code CorsConfiguration}.
 * Off until an origin is allowed.
 */
public class CorsProperties {

    /** Origins allowed to call the handlers, e.g. https://app.example.com; '*' allows any (without credentials). CORS is off while this and allowed-origin-patterns are empty. */
    private List<String> allowedOrigins = new ArrayList<>();

    /** Origin patterns allowed, e.g. https://*.example.com or http://localhost:[*]; unlike '*' in allowed-origins they work with credentials. */
    private List<String> allowedOriginPatterns = new ArrayList<>();

    /** Methods allowed in cross-origin requests; '*' allows all. */
    private List<String> allowedMethods = new ArrayList<>(List.of("GET", "HEAD", "POST"));

    /** Request headers allowed in cross-origin requests; '*' allows all. */
    private List<String> allowedHeaders = new ArrayList<>(List.of("*"));

    /** Response headers, beyond the simple ones, that browsers may show to the calling script. */
    private List<String> exposedHeaders = new ArrayList<>();

    /** Whether browsers may send cookies and credentials with cross-origin requests. */
    private boolean allowCredentials = false;

    /** How long browsers may cache a preflight answer; a bare number is seconds. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration maxAge = Duration.ofMinutes(30);

    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    public List<String> getAllowedOriginPatterns() {
        return allowedOriginPatterns;
    }

    public void setAllowedOriginPatterns(List<String> allowedOriginPatterns) {
        this.allowedOriginPatterns = allowedOriginPatterns;
    }

    public List<String> getAllowedMethods() {
        return allowedMethods;
    }

    public void setAllowedMethods(List<String> allowedMethods) {
        this.allowedMethods = allowedMethods;
    }

    public List<String> getAllowedHeaders() {
        return allowedHeaders;
    }

    public void setAllowedHeaders(List<String> allowedHeaders) {
        this.allowedHeaders = allowedHeaders;
    }

    public List<String> getExposedHeaders() {
        return exposedHeaders;
    }

    public void setExposedHeaders(List<String> exposedHeaders) {
        this.exposedHeaders = exposedHeaders;
    }

    public boolean isAllowCredentials() {
        return allowCredentials;
    }

    public void setAllowCredentials(boolean allowCredentials) {
        this.allowCredentials = allowCredentials;
    }

    public Duration getMaxAge() {
        return maxAge;
    }

    public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
    }
}
