package dev.httpsd.test;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection driven byte by byte, for tests of what goes over the wire: it writes
 * exactly the bytes given (requests in text blocks with explicit {@code \r\n}) and reads responses
 * framed by {@code Content-Length}, chunked coding or the end of the connection. Over TLS, hand it
 * {@link LocalHttpsServer#connect()}.
 */
public final class RawHttpConnection implements Closeable {

    /** A response as received; header names lower-case, repeated headers joined with {@code ", "}. */
    public record Response(String statusLine, Map<String, String> headers, byte[] body) {

        /** The status code. */
        public int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        /** A header's value, or {@code null}; the name is case-insensitive. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The body as UTF-8 text. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** A plain connection to {@code port} on the loopback address. */
    public RawHttpConnection(int port) throws IOException {
        this(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** Drives {@code socket}, e.g. a TLS socket from {@link LocalHttpsServer#connect()}; reads wait at most 30 s. */
    public RawHttpConnection(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout((int) LocalHttpsServer.TIMEOUT.toMillis());
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public Socket socket() {
        return socket;
    }

    /** The client's own port: the server's view of the session's remote port. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** Sets how long reads wait. */
    public RawHttpConnection timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return this;
    }

    /** Sends {@code text} as ISO-8859-1 bytes. */
    public RawHttpConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttpConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends {@code request} and reads one response. */
    public Response exchange(String request) throws IOException {
        send(request);
        return read();
    }

    /** Reads one response. */
    public Response read() throws IOException {
        return read(false);
    }

    /** Reads one response; {@code head} for the answer to a HEAD request, which has no body. */
    public Response read(boolean head) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new EOFException("the server closed the connection before a response");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = line()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("not a header field: " + line);
            }
            headers.merge(
                    line.substring(0, colon).toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).strip(),
                    (a, b) -> a + ", " + b);
        }
        if (line == null) {
            throw new EOFException("the server closed the connection in the response head");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        if (head || status < 200 || status == 204 || status == 304) {
            return new Response(statusLine, headers, new byte[0]);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(readExactly(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            readChunks(body);
        } else {
            body.write(in.readAllBytes());
        }
        return new Response(statusLine, headers, body.toByteArray());
    }

    private void readChunks(ByteArrayOutputStream body) throws IOException {
        while (true) {
            String sizeLine = line();
            if (sizeLine == null) {
                throw new EOFException("the server closed the connection inside a chunked body");
            }
            int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
            if (size == 0) {
                String trailer;
                while ((trailer = line()) != null && !trailer.isEmpty()) {
                    // trailer fields are not kept
                }
                return;
            }
            body.write(readExactly(size));
            line();
        }
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException(
                    "the server closed the connection after " + bytes.length + " of " + length + " body bytes");
        }
        return bytes;
    }

    /** Everything until the server closes the connection, as ISO-8859-1 text. */
    public String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** Whether the server closed the connection (end of stream or reset) within the read timeout. */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] b = bytes.toByteArray();
                int length = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, length, StandardCharsets.ISO_8859_1);
            }
            bytes.write(c);
        }
        return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
