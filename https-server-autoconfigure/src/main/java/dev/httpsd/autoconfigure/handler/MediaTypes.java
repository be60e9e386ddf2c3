package dev.httpsd.autoconfigure.handler;

import java.util.List;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/** {@code Accept} and {@code Content-Type} decisions, on Spring's {@link MimeType} parser. */
final class MediaTypes {

    static final MimeType JSON = MimeTypeUtils.APPLICATION_JSON;
    static final MimeType PROBLEM_JSON = MimeType.valueOf("application/problem+json");
    static final String TEXT_PLAIN_UTF8 = "text/plain;charset=UTF-8";
    static final String OCTET_STREAM = MimeTypeUtils.APPLICATION_OCTET_STREAM_VALUE;
    static final String JSON_VALUE = MimeTypeUtils.APPLICATION_JSON_VALUE;

    private MediaTypes() {}

    /** Whether an {@code Accept} header takes anything: absent, empty, or {@code *}{@code /*}. */
    static boolean acceptsAnything(String accept) {
        return accept == null || accept.isBlank() || accept.equals("*/*");
    }

    /**
     * The {@code Accept} header's ranges.
     *
     * @throws HttpStatusException {@code 400} when it does not parse
     */
    static List<MimeType> acceptRanges(String accept) {
        try {
            return MimeTypeUtils.parseMimeTypes(accept);
        } catch (InvalidMimeTypeException e) {
            throw new HttpStatusException(400, "Malformed Accept header: " + e.getMessage(), e);
        }
    }

    /**
     * The quality the client gives a type: that of the most specific range including it (RFC 9110
     * §12.5.1), 0 when none does.
     */
    static double quality(List<MimeType> ranges, MimeType type) {
        MimeType decisive = null;
        for (MimeType range : ranges) {
            if (range.includes(type) && (decisive == null || specificity(range) > specificity(decisive))) {
                decisive = range;
            }
        }
        return decisive == null ? 0 : quality(decisive);
    }

    /**
     * Of the candidates, the one the client takes with the highest quality, the first of equal
     * ones; {@code null} when it takes none.
     */
    static MimeType negotiate(List<MimeType> candidates, String accept) {
        if (acceptsAnything(accept)) {
            return candidates.get(0);
        }
        List<MimeType> ranges = acceptRanges(accept);
        MimeType best = null;
        double bestQuality = 0;
        for (MimeType candidate : candidates) {
            double q = quality(ranges, candidate);
            if (q > bestQuality) {
                best = candidate;
                bestQuality = q;
            }
        }
        return best;
    }

    /** Whether the client takes this type at all. */
    static boolean accepts(String accept, MimeType type) {
        return acceptsAnything(accept) || quality(acceptRanges(accept), type) > 0;
    }

    /** JSON or a {@code +json} type. */
    static boolean isJson(MimeType type) {
        return (type.getType().equals("application") && type.getSubtype().equals("json"))
                || "json".equals(type.getSubtypeSuffix());
    }

    /**
     * A request's {@code Content-Type}, {@code null} when absent.
     *
     * @throws HttpStatusException {@code 415} when it does not parse
     */
    static MimeType contentType(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return MimeTypeUtils.parseMimeType(header);
        } catch (InvalidMimeTypeException e) {
            throw new HttpStatusException(415, "Malformed Content-Type: " + e.getMessage(), e);
        }
    }

    /**
     * A media type declared in {@code produces} or {@code consumes}.
     *
     * @throws IllegalArgumentException naming it when it does not parse
     */
    static MimeType declared(String value, String where) {
        try {
            return MimeTypeUtils.parseMimeType(value);
        } catch (InvalidMimeTypeException e) {
            throw new IllegalArgumentException(
                    "'" + value + "' in " + where + " is not a media type: " + e.getMessage(), e);
        }
    }

    private static int specificity(MimeType range) {
        if (range.isWildcardType()) {
            return 0;
        }
        if (range.isWildcardSubtype()) {
            return 1;
        }
        // a range with parameters (other than q) is more specific than the bare type
        int parameters = range.getParameters().size() - (range.getParameter("q") == null ? 0 : 1);
        return 2 + parameters;
    }

    private static double quality(MimeType range) {
        String q = range.getParameter("q");
        if (q == null) {
            return 1;
        }
        try {
            double value = Double.parseDouble(q);
            return value >= 0 && value <= 1 ? value : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
