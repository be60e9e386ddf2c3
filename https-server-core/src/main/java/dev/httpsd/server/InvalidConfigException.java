package dev.httpsd.server;

/**
 * A configuration value out of its allowed range, found when a configuration record is built or a
 * server starts. Carries the field, the rejected value and the rule it broke, so a caller can name
 * its own setting (a Spring property, a command-line flag) without reading the message.
 */
public final class InvalidConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String config;
    private final String field;
    private final transient Object value;
    private final String rule;

    /**
     * @param config the simple name of the configuration type, e.g. {@code HttpServerConfig}
     * @param field the record component, e.g. {@code maxOpenSockets}
     * @param value the rejected value, {@code null} when it was missing
     * @param rule what the value must be, e.g. {@code must be between 1 and 1000000}
     */
    public InvalidConfigException(String config, String field, Object value, String rule) {
        super("Invalid " + config + "." + field + " = " + value + ": " + rule);
        this.config = config;
        this.field = field;
        this.value = value;
        this.rule = rule;
    }

    /** The simple name of the configuration type: {@code HttpServerConfig} or {@code HttpsServerConfig}. */
    public String config() {
        return config;
    }

    /** The record component holding the rejected value. */
    public String field() {
        return field;
    }

    /** The rejected value; {@code null} when it was missing. */
    public Object value() {
        return value;
    }

    /** What the value must be. */
    public String rule() {
        return rule;
    }
}
