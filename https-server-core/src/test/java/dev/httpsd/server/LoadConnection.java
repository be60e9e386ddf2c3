package dev.httpsd.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A client connection that counts the bytes it received, to tell "no answer" from "cut short". */
final class LoadConnection implements Closeable {
    private final Socket socket;
    private final Counting counting;
    private final InputStream in;
    private final OutputStream out;

    LoadConnection(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        this.counting = new Counting(socket.getInputStream());
        this.in = new BufferedInputStream(counting, 16 * 1024);
        this.out = socket.getOutputStream();
    }

    long received() {
        return counting.count;
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** After a {@code Connection: close} response: the server must end the stream. */
    boolean atEndOfStream() throws IOException {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true; // a reset after the complete response still ends it
        }
    }

    Response read() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new EOFException("connection closed before a response");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = line()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(
                    line.substring(0, colon).toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).strip());
        }
        if (line == null) {
            throw new EOFException("connection closed inside the response head");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            readFully(body, Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (true) {
                String size = line();
                if (size == null) {
                    throw new EOFException("connection closed before a chunk size");
                }
                int length = Integer.parseInt(size.split(";")[0].strip(), 16);
                if (length == 0) {
                    String trailer;
                    while ((trailer = line()) != null && !trailer.isEmpty()) {
                        // trailers are not used here
                    }
                    if (trailer == null) {
                        throw new EOFException("connection closed inside the trailers");
                    }
                    break;
                }
                readFully(body, length);
                if (!"".equals(line())) {
                    throw new IOException("chunk not followed by CRLF");
                }
            }
        } else {
            throw new IOException("response without framing: " + headers);
        }
        return new Response(status, headers, body.toByteArray());
    }

    private void readFully(ByteArrayOutputStream body, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("body ended after " + bytes.length + " of " + length + " bytes");
        }
        body.writeBytes(bytes);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int length = line.length();
                if (length == 0 || line.charAt(length - 1) != '\r') {
                    throw new IOException("bare LF in the response");
                }
                return line.substring(0, length - 1);
            }
            line.append((char) c);
        }
        if (line.length() > 0) {
            throw new EOFException("connection closed inside a line: " + line);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    record Response(int status, Map<String, String> headers, byte[] body) {}

    /** Counts the bytes read from the socket. */
    private static final class Counting extends FilterInputStream {
        volatile long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                count++;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
