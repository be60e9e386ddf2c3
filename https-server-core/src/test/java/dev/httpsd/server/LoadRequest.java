package dev.httpsd.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** One request as bytes, with what its response must be. */
record LoadRequest(
        String id,
        String description,
        byte[] bytes,
        int expectedLength,
        String expectedCrc,
        boolean clientClose,
        boolean serverClose) {

    static LoadRequest random(String id, Random random, boolean keepAlive, boolean slowResponses) {
        int size = switch (random.nextInt(8)) {
            case 0 -> random.nextBoolean() ? 0 : LoadGenerator.MAX_BODY;
            case 1, 2, 3 -> random.nextInt(1024);
            case 4, 5, 6 -> random.nextInt(16 * 1024);
            default -> random.nextInt(LoadGenerator.MAX_BODY + 1);
        };
        boolean post = random.nextInt(10) < 6;
        boolean chunkedRequest = post && random.nextBoolean();
        boolean chunkedResponse = random.nextBoolean();
        int closer = random.nextInt(20);
        boolean serverClose = closer == 0;
        // a per-request client announces its close on half of its requests and simply hangs up
        // after the response on the others
        boolean clientClose = closer == 1 || (!keepAlive && random.nextBoolean());
        int slow = slowResponses && random.nextInt(20) == 0 ? 5 : 0;
        StringBuilder head = new StringBuilder();
        byte[] body;
        if (post) {
            body = new byte[size];
            random.nextBytes(body);
            head.append("POST /load/echo HTTP/1.1\r\n");
        } else {
            long seed = random.nextLong();
            body = LoadGenerator.seeded(seed, size);
            head.append("GET /load/data?size=")
                    .append(size)
                    .append("&seed=")
                    .append(seed)
                    .append(" HTTP/1.1\r\n");
        }
        String crc = LoadGenerator.crc(body);
        head.append("Host: load\r\nX-Req-Id: ").append(id).append("\r\n");
        if (post) {
            head.append("X-CRC32: ").append(crc).append("\r\n");
            head.append(chunkedRequest ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + size + "\r\n");
        }
        if (chunkedResponse) {
            head.append("X-Chunked-Response: 1\r\n");
        }
        if (serverClose) {
            head.append("X-Close: server\r\n");
        }
        if (clientClose) {
            head.append("Connection: close\r\n");
        }
        if (slow > 0) {
            head.append("X-Slow: ").append(slow).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(head.length() + size + 64);
        bytes.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        if (post && chunkedRequest) {
            int offset = 0;
            while (offset < size) {
                int length = Math.min(size - offset, 1 + random.nextInt(8192));
                bytes.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                bytes.write(body, offset, length);
                bytes.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                offset += length;
            }
            bytes.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else if (post) {
            bytes.writeBytes(body);
        }
        String description = (post ? "POST " : "GET ") + id + " (" + size + " B"
                + (chunkedRequest ? ", chunked request" : "")
                + (chunkedResponse ? ", chunked response" : "")
                + (serverClose ? ", server closes" : "")
                + (clientClose ? ", Connection: close" : "") + ")";
        return new LoadRequest(id, description, bytes.toByteArray(), size, crc, clientClose, serverClose);
    }

    boolean closeExpected() {
        return clientClose || serverClose;
    }

    String closer() {
        return clientClose ? "the client" : "the handler";
    }

    /** What is wrong with the response, or null. */
    String check(LoadConnection.Response response) {
        if (response.status() != 200) {
            return "status " + response.status() + ": " + new String(response.body(), StandardCharsets.UTF_8);
        }
        if (!id.equals(response.headers().get("x-req-id"))) {
            return "the response is for " + response.headers().get("x-req-id");
        }
        if (response.body().length != expectedLength) {
            return "body of " + response.body().length + " bytes, expected " + expectedLength;
        }
        if (!expectedCrc.equals(LoadGenerator.crc(response.body()))
                || !expectedCrc.equals(response.headers().get("x-crc32"))) {
            return "body CRC32 " + LoadGenerator.crc(response.body()) + " (header "
                    + response.headers().get("x-crc32") + "), expected " + expectedCrc;
        }
        return null;
    }

    @Override
    public String toString() {
        return description;
    }
}
