package dev.httpsd.test.mock;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The scripted body of a {@link MockHttpRequest}: data that arrives read by read, stalls that
 * time a read out once, and a hang-up after which reads fail as on a closed connection.
 */
final class MockRequestBody {

    /** One step of the script: data, a stall, or the client hanging up. */
    record Segment(byte[] data, boolean stall, boolean hangUp) {
        static final Segment STALL = new Segment(null, true, false);
        static final Segment HANG_UP = new Segment(null, false, true);

        static Segment data(byte[] bytes) {
            return new Segment(bytes, false, false);
        }
    }

    private final List<Segment> segments;
    /** The announced length, or -1 for a chunked body, whose end is the end of the script. */
    private final long contentLength;

    private final ReentrantLock lock = new ReentrantLock();
    private int segment;
    private int offsetInSegment;
    private long read;
    private boolean complete;

    MockRequestBody(List<Segment> segments, long contentLength) {
        this.segments = new ArrayList<>(segments);
        this.contentLength = contentLength;
        this.complete = contentLength == 0 && segments.stream().noneMatch(Segment::hangUp);
    }

    static long dataLength(List<Segment> segments) {
        return segments.stream()
                .filter(s -> s.data() != null)
                .mapToLong(s -> s.data().length)
                .sum();
    }

    /** {@code HttpRequest.recv}: at least one byte, 0 at the end of the body, or the scripted failure. */
    int read(byte[] buffer, int offset, int length) throws IOException {
        lock.lock();
        try {
            if (complete || length == 0) {
                return 0;
            }
            while (segment < segments.size()) {
                Segment next = segments.get(segment);
                if (next.stall()) {
                    segment++;
                    throw new SocketTimeoutException(
                            "no body bytes within the receive timeout (MockHttpRequest stall)");
                }
                if (next.hangUp()) {
                    throw new EOFException("the client closed the connection before the request body was complete");
                }
                int available = next.data().length - offsetInSegment;
                if (available == 0) {
                    segment++;
                    offsetInSegment = 0;
                    continue;
                }
                int n = Math.min(available, length);
                if (contentLength >= 0) {
                    n = (int) Math.min(n, contentLength - read);
                }
                System.arraycopy(next.data(), offsetInSegment, buffer, offset, n);
                offsetInSegment += n;
                read += n;
                if (contentLength >= 0 && read == contentLength) {
                    complete = true;
                }
                return n;
            }
            if (contentLength >= 0 && read < contentLength) {
                throw new EOFException("the client closed the connection before the request body was complete");
            }
            complete = true;
            return 0;
        } finally {
            lock.unlock();
        }
    }

    long bytesRead() {
        lock.lock();
        try {
            return read;
        } finally {
            lock.unlock();
        }
    }

    boolean complete() {
        lock.lock();
        try {
            return complete;
        } finally {
            lock.unlock();
        }
    }
}
