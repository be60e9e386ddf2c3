package dev.httpsd.server;

/** ESP's wildcard URI matching; see {@link UriMatcher#wildcard()}. */
final class WildcardMatcher implements UriMatcher {

    static final WildcardMatcher INSTANCE = new WildcardMatcher();

    private WildcardMatcher() {}

    @Override
    public boolean matches(String template, String path) {
        int length = template.length();
        char last = length > 0 ? template.charAt(length - 1) : 0;
        char beforeLast = length > 1 ? template.charAt(length - 2) : 0;
        boolean anySuffix = last == '*' || (beforeLast == '*' && last == '?');
        boolean optionalChar = last == '?' || (beforeLast == '?' && last == '*');
        int wildcardChars = (anySuffix ? 1 : 0) + (optionalChar ? 1 : 0);
        // the optional character itself must exist: "?" alone or "*?" alone is not a valid template
        int mandatory = length - wildcardChars - (optionalChar ? 1 : 0);
        if (mandatory < 0 || path.length() < mandatory || !path.regionMatches(0, template, 0, mandatory)) {
            return false;
        }
        int rest = path.length() - mandatory;
        if (!optionalChar) {
            return anySuffix || rest == 0;
        }
        if (rest == 0) {
            return true;
        }
        if (path.charAt(mandatory) != template.charAt(mandatory)) {
            return false;
        }
        return anySuffix || rest == 1;
    }
}
