package dev.httpsd.server.tls;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Large TLS buffers shared by the sessions of one server: a session borrows one while a record is
 * in flight and gives it back when its data is consumed, so idle sessions hold none. Bounded: a
 * buffer returned to a full pool is left to the garbage collector.
 */
final class BufferPool {

    private final int size;
    private final int capacity;
    private final ConcurrentLinkedQueue<ByteBuffer> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    BufferPool(int size, int capacity) {
        this.size = size;
        this.capacity = capacity;
    }

    int bufferSize() {
        return size;
    }

    /** A cleared buffer of {@link #bufferSize()} bytes. */
    ByteBuffer acquire() {
        ByteBuffer buffer = free.poll();
        if (buffer == null) {
            return ByteBuffer.allocate(size);
        }
        pooled.decrementAndGet();
        return buffer.clear();
    }

    void release(ByteBuffer buffer) {
        if (buffer.capacity() == size && pooled.incrementAndGet() <= capacity) {
            free.offer(buffer);
        } else if (buffer.capacity() == size) {
            pooled.decrementAndGet();
        }
    }
}
