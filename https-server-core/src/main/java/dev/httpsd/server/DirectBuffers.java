package dev.httpsd.server;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's direct buffers for reading files that a transport layer encrypts ({@code
 * sendFile} over TLS): a session borrows one for the length of a send and gives it back, so idle
 * sessions hold none. Pooled because a direct buffer is costly to make and is freed only by a
 * garbage collection; bounded, a buffer given back to a full pool being left to the collector.
 */
final class DirectBuffers {

    private final int size;
    private final int capacity;
    private final ConcurrentLinkedQueue<ByteBuffer> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    DirectBuffers(int size, int capacity) {
        this.size = size;
        this.capacity = capacity;
    }

    /** A cleared direct buffer of the pool's size. */
    ByteBuffer acquire() {
        ByteBuffer buffer = free.poll();
        if (buffer == null) {
            return ByteBuffer.allocateDirect(size);
        }
        pooled.decrementAndGet();
        return buffer.clear();
    }

    void release(ByteBuffer buffer) {
        if (pooled.incrementAndGet() <= capacity) {
            free.offer(buffer);
        } else {
            pooled.decrementAndGet();
        }
    }
}
