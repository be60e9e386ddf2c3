package dev.httpsd.autoconfigure.handler;

/** Constants of the binding annotations. */
public final class ValueDefaults {

    /**
     * The {@code defaultValue} that means "no default": a value no request can carry, so that an
     * empty string remains a usable default.
     */
    public static final String NONE = "\n\t\t\n\t\t\n\uE000\uE001\uE002\n\t\t\t\t\n";

    private ValueDefaults() {}
}
