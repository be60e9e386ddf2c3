package dev.httpsd.server.http2;

/**
 * The states of a stream (RFC 9113 §5.1) as a server that never pushes sees them. The two
 * "reserved" states exist only for streams promised with PUSH_PROMISE: we never send one and a
 * client cannot, so no stream of ours ever enters them.
 *
 * <pre>
 *                          +--------+
 *                          |  idle  |
 *                          +--------+
 *                              | recv HEADERS
 *                              v
 *                          +--------+
 *             recv ES      |        |      send ES
 *           ,--------------|  open  |--------------.
 *          /               |        |               \
 *         v                +--------+                v
 *  +------------+              |               +------------+
 *  |   half-    |              | send R /      |   half-    |
 *  |   closed   |              | recv R        |   closed   |
 *  |  (remote)  |              |               |   (local)  |
 *  +------------+              |               +------------+
 *         |                    v                     |
 *         | send ES /     +--------+      recv ES /  |
 *         | send R /      |        |      send R /   |
 *         | recv R        | closed |      recv R     |
 *          `------------->|        |<---------------'
 *                         +--------+
 *   ES: END_STREAM flag, R: RST_STREAM frame. (HEADERS with ES goes from idle to half-closed (remote).)
 * </pre>
 */
enum StreamState {
    IDLE,
    OPEN,
    HALF_CLOSED_LOCAL,
    HALF_CLOSED_REMOTE,
    CLOSED;

    /** Whether the peer may still send DATA and trailers. */
    boolean remoteOpen() {
        return this == OPEN || this == HALF_CLOSED_LOCAL;
    }

    /** Whether we may still send HEADERS and DATA. */
    boolean localOpen() {
        return this == OPEN || this == HALF_CLOSED_REMOTE;
    }
}
