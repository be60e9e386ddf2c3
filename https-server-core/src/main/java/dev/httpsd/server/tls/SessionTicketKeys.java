package dev.httpsd.server.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The keys that encrypt and decrypt TLS session tickets, shared by every instance of a fleet so a
 * client resumes its session on whichever instance it reaches: the first key encrypts new
 * tickets, every key decrypts (and a ticket under an older key is renewed under the first).
 * Immutable. Only the {@link TlsEngine#OPENSSL OpenSSL engine} can use them.
 *
 * <p>A key is 48 bytes, laid out as nginx's {@code ssl_session_ticket_key} files and HAProxy's
 * {@code tls-ticket-keys} lines lay out theirs: a 16-byte key name (sent in the ticket, to find the
 * key again), a 16-byte AES-128 key, a 16-byte HMAC-SHA256 key. BoringSSL, under Netty's {@code
 * OpenSslSessionTicketKey(name, hmacKey, aesKey)}, encrypts tickets with AES-128-CBC and
 * authenticates them with HMAC-SHA256 under exactly these. The 80-byte (AES-256) keys nginx and
 * HAProxy also take are refused: BoringSSL's ticket key interface takes 48-byte keys only.
 *
 * <p>Two file formats ({@link Format}):
 *
 * <ul>
 *   <li>{@link Format#NGINX}: one key per file, its 48 raw bytes ({@code openssl rand 48 >
 *       ticket.key}); with several files the first one's key encrypts, as with several {@code
 *       ssl_session_ticket_key} lines.
 *   <li>{@link Format#HAPROXY}: one file of keys in base64, one per line ({@code openssl rand 48 |
 *       openssl base64 -A}). As HAProxy reads it: the last three lines count, the second-to-last
 *       encrypts, the last and the third-to-last still decrypt. Rotating is appending a line: the
 *       key appended last was already known (decrypting) to every instance before any starts
 *       encrypting with it. HAProxy insists on three lines; one or two are taken here too (with
 *       one, it encrypts; with two, the first encrypts).
 * </ul>
 *
 * Key material never appears in {@link #toString()} or exceptions: only key names, in hex.
 */
public final class SessionTicketKeys {

    /** The length of one key: name, AES key, HMAC key, 16 bytes each. */
    public static final int KEY_LENGTH = 48;

    /** The AES-256 key length nginx and HAProxy also take, refused here with the reason. */
    static final int AES256_KEY_LENGTH = 80;

    /** The lines of a HAProxy file that count: its build-time TLS_TICKETS_NO (3 by default). */
    static final int HAPROXY_KEYS = 3;

    /** How key files are written. */
    public enum Format {
        /** nginx {@code ssl_session_ticket_key}: one file per key, 48 raw bytes; the first file encrypts. */
        NGINX,
        /** HAProxy {@code tls-ticket-keys}: one file, base64 keys one per line; the second-to-last encrypts. */
        HAPROXY
    }

    private final List<byte[]> keys;

    private SessionTicketKeys(List<byte[]> keys) {
        this.keys = keys;
    }

    /**
     * Keys in the 48-byte layout (name, AES key, HMAC key); the first encrypts.
     *
     * @throws IllegalArgumentException when there is none, or a key is not 48 bytes, is all zeros,
     *     or shares its name with another
     */
    public static SessionTicketKeys of(List<byte[]> keys) {
        Objects.requireNonNull(keys, "keys");
        List<byte[]> copies = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            copies.add(Objects.requireNonNull(key, "key").clone());
        }
        String problem = problem(copies, i -> "key " + (i + 1));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new SessionTicketKeys(List.copyOf(copies));
    }

    /** @see #of(List) */
    public static SessionTicketKeys of(byte[]... keys) {
        return of(Arrays.asList(keys));
    }

    /**
     * Reads key files.
     *
     * @param files for {@link Format#NGINX} one or more (the first encrypts); for {@link
     *     Format#HAPROXY} exactly one
     * @throws TlsMaterialException naming the file and what is wrong with it: unreadable, a key of
     *     the wrong length (a half-written file), bad base64, a key of zeros, a name used twice
     */
    public static SessionTicketKeys read(Format format, List<Path> files) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(files, "files");
        if (files.isEmpty()) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.MISSING, null, "no session ticket key file given");
        }
        return format == Format.NGINX ? readNginx(files) : readHaproxy(files);
    }

    /** How many keys: the encrypting one and those that only decrypt. */
    public int size() {
        return keys.size();
    }

    /** The keys' names in hex, the encrypting key's first: what tickets carry, safe to log. */
    public List<String> keyNames() {
        return keys.stream().map(key -> HexFormat.of().formatHex(key, 0, 16)).toList();
    }

    /** The keys, the encrypting one first; each a copy, 48 bytes. */
    List<byte[]> keys() {
        return keys.stream().map(byte[]::clone).toList();
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof SessionTicketKeys that) || that.keys.size() != keys.size()) {
            return false;
        }
        for (int i = 0; i < keys.size(); i++) {
            if (!Arrays.equals(keys.get(i), that.keys.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return keyNames().hashCode();
    }

    /** {@code SessionTicketKeys[encrypting 6b4a..., decrypting 1f00...]}: names only. */
    @Override
    public String toString() {
        List<String> names = keyNames();
        return "SessionTicketKeys[encrypting " + names.get(0)
                + (names.size() > 1 ? ", decrypting also " + String.join(", ", names.subList(1, names.size())) : "")
                + "]";
    }

    private static SessionTicketKeys readNginx(List<Path> files) {
        List<byte[]> keys = new ArrayList<>(files.size());
        for (Path file : files) {
            byte[] bytes = readBytes(file);
            if (bytes.length != KEY_LENGTH) {
                throw malformed(file, lengthProblem("the file holds " + bytes.length + " bytes", bytes.length));
            }
            keys.add(bytes);
        }
        String problem = problem(keys, i -> files.get(i).toString());
        if (problem != null) {
            throw malformed(files.size() == 1 ? files.get(0) : files, problem);
        }
        return new SessionTicketKeys(List.copyOf(keys));
    }

    private static SessionTicketKeys readHaproxy(List<Path> files) {
        if (files.size() != 1) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.MISSING,
                    files.toString(),
                    "the HAProxy format keeps all keys in one file, one per line; " + files.size() + " files given");
        }
        Path file = files.get(0);
        String text = new String(readBytes(file), StandardCharsets.US_ASCII);
        List<byte[]> lines = new ArrayList<>();
        String[] rows = text.split("\n", -1);
        for (int i = 0; i < rows.length; i++) {
            String row = rows[i].endsWith("\r") ? rows[i].substring(0, rows[i].length() - 1) : rows[i];
            if (row.isBlank()) {
                continue;
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(row.strip());
            } catch (IllegalArgumentException e) {
                throw malformed(file, "line " + (i + 1) + " is not base64 (" + e.getMessage() + ")");
            }
            if (key.length != KEY_LENGTH) {
                throw malformed(
                        file, lengthProblem("line " + (i + 1) + " decodes to " + key.length + " bytes", key.length));
            }
            lines.add(key);
        }
        if (lines.isEmpty()) {
            throw malformed(file, "the file holds no key");
        }
        int n = lines.size();
        List<byte[]> keys = new ArrayList<>(HAPROXY_KEYS);
        if (n == 1) {
            keys.add(lines.get(0));
        } else {
            keys.add(lines.get(n - 2)); // encrypts
            if (n >= HAPROXY_KEYS) {
                keys.add(lines.get(n - 3)); // the previous key: tickets issued under it still resume
            }
            keys.add(lines.get(n - 1)); // the next key: already known everywhere before it encrypts
        }
        String problem = problem(keys, i -> "line " + lineOf(lines, keys.get(i)));
        if (problem != null) {
            throw malformed(file, problem);
        }
        return new SessionTicketKeys(List.copyOf(keys));
    }

    private static int lineOf(List<byte[]> lines, byte[] key) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i) == key) {
                return i + 1;
            }
        }
        return -1;
    }

    /** What is wrong with a list of keys, or {@code null}; {@code where} names a key by its index. */
    private static String problem(List<byte[]> keys, IntFunction<String> where) {
        if (keys.isEmpty()) {
            return "no session ticket key given";
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i);
            if (key.length != KEY_LENGTH) {
                return lengthProblem(where.apply(i) + " has " + key.length + " bytes", key.length);
            }
            boolean zeros = true;
            for (byte b : key) {
                zeros &= b == 0;
            }
            if (zeros) {
                return where.apply(i) + " is all zeros: no secret (a file preallocated and not yet written?)";
            }
            String name = HexFormat.of().formatHex(key, 0, 16);
            if (!names.add(name)) {
                return where.apply(i) + " has the name " + name
                        + " of another key: a ticket could not tell which key decrypts it";
            }
        }
        return null;
    }

    private static String lengthProblem(String what, int length) {
        if (length == AES256_KEY_LENGTH) {
            return what + ": an 80-byte (AES-256) key, which the OpenSSL engine cannot use (BoringSSL's"
                    + " ticket keys are 48 bytes: name, AES-128 key, HMAC key); make 48-byte keys";
        }
        return what + "; a key is " + KEY_LENGTH + " bytes (16 name, 16 AES, 16 HMAC): half-written?";
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TlsMaterialException(
                    TlsMaterialException.Reason.UNREADABLE,
                    file.toString(),
                    "cannot read the session ticket key file: " + e,
                    e);
        }
    }

    private static TlsMaterialException malformed(Object source, String problem) {
        return new TlsMaterialException(
                TlsMaterialException.Reason.MALFORMED, source.toString(), "session ticket keys: " + problem);
    }
}
