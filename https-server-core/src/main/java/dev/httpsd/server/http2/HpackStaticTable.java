package dev.httpsd.server.http2;

import java.util.HashMap;
import java.util.Map;

/**
 * The static table of RFC 7541 Appendix A (indices 1 to 61), with the lookups the encoder needs:
 * the first index of a name, and the index of an exact name and value.
 */
final class HpackStaticTable {

    /** The number of entries; dynamic-table indices start after it (RFC 7541 §2.3.3). */
    static final int LENGTH = 61;

    private static final String[] NAMES = new String[LENGTH + 1];
    private static final String[] VALUES = new String[LENGTH + 1];
    private static final Map<String, Integer> FIRST_INDEX_OF_NAME = new HashMap<>();

    static {
        String[][] entries = {
            {":authority", ""},
            {":method", "GET"},
            {":method", "POST"},
            {":path", "/"},
            {":path", "/index.html"},
            {":scheme", "http"},
            {":scheme", "https"},
            {":status", "200"},
            {":status", "204"},
            {":status", "206"},
            {":status", "304"},
            {":status", "400"},
            {":status", "404"},
            {":status", "500"},
            {"accept-charset", ""},
            {"accept-encoding", "gzip, deflate"},
            {"accept-language", ""},
            {"accept-ranges", ""},
            {"accept", ""},
            {"access-control-allow-origin", ""},
            {"age", ""},
            {"allow", ""},
            {"authorization", ""},
            {"cache-control", ""},
            {"content-disposition", ""},
            {"content-encoding", ""},
            {"content-language", ""},
            {"content-length", ""},
            {"content-location", ""},
            {"content-range", ""},
            {"content-type", ""},
            {"cookie", ""},
            {"date", ""},
            {"etag", ""},
            {"expect", ""},
            {"expires", ""},
            {"from", ""},
            {"host", ""},
            {"if-match", ""},
            {"if-modified-since", ""},
            {"if-none-match", ""},
            {"if-range", ""},
            {"if-unmodified-since", ""},
            {"last-modified", ""},
            {"link", ""},
            {"location", ""},
            {"max-forwards", ""},
            {"proxy-authenticate", ""},
            {"proxy-authorization", ""},
            {"range", ""},
            {"referer", ""},
            {"refresh", ""},
            {"retry-after", ""},
            {"server", ""},
            {"set-cookie", ""},
            {"strict-transport-security", ""},
            {"transfer-encoding", ""},
            {"user-agent", ""},
            {"vary", ""},
            {"via", ""},
            {"www-authenticate", ""},
        };
        for (int i = 0; i < LENGTH; i++) {
            NAMES[i + 1] = entries[i][0];
            VALUES[i + 1] = entries[i][1];
            FIRST_INDEX_OF_NAME.putIfAbsent(entries[i][0], i + 1);
        }
    }

    private HpackStaticTable() {}

    /** The name at {@code index}, 1 to {@link #LENGTH}. */
    static String name(int index) {
        return NAMES[index];
    }

    /** The value at {@code index}, 1 to {@link #LENGTH}. */
    static String value(int index) {
        return VALUES[index];
    }

    /** The first index whose name is {@code name}, or 0 when the table has no such name. */
    static int indexOfName(String name) {
        Integer index = FIRST_INDEX_OF_NAME.get(name);
        return index == null ? 0 : index;
    }

    /**
     * The index of the entry {@code name: value}, or 0. Entries with one name are adjacent in the
     * table, so this scans at most the seven {@code :status} entries.
     */
    static int indexOf(String name, String value) {
        int first = indexOfName(name);
        if (first == 0) {
            return 0;
        }
        for (int i = first; i <= LENGTH && NAMES[i].equals(name); i++) {
            if (VALUES[i].equals(value)) {
                return i;
            }
        }
        return 0;
    }
}
