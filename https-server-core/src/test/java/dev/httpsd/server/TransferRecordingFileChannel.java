package dev.httpsd.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file channel that passes every call to a real one and records how the server took the file:
 * where each {@code transferTo} went and how many bytes it moved, and how many bytes were read
 * into a buffer instead. The real channel still does the work, so a transfer to a socket's own
 * channel is still the kernel's sendfile.
 */
final class TransferRecordingFileChannel extends FileChannel {

    private final FileChannel file;
    private final List<WritableByteChannel> targets = new CopyOnWriteArrayList<>();
    private final AtomicLong transferred = new AtomicLong();
    private final AtomicLong read = new AtomicLong();

    TransferRecordingFileChannel(FileChannel file) {
        this.file = file;
    }

    /** The target of every {@code transferTo} call, in order. */
    List<WritableByteChannel> targets() {
        return targets;
    }

    /** Bytes that went out by {@code transferTo}. */
    long transferred() {
        return transferred.get();
    }

    /** Bytes read into a buffer (to be written from there). */
    long read() {
        return read.get();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        targets.add(target);
        long n = file.transferTo(position, count, target);
        transferred.addAndGet(n);
        return n;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return counted(file.read(dst, position));
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return counted(file.read(dst));
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long n = file.read(dsts, offset, length);
        read.addAndGet(Math.max(n, 0));
        return n;
    }

    private int counted(int n) {
        read.addAndGet(Math.max(n, 0));
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return file.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return file.write(srcs, offset, length);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return file.write(src, position);
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        file.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        file.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        file.force(metaData);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return file.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return file.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return file.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.close();
    }
}
