package dev.httpsd.server.http2;

import java.util.Arrays;

/**
 * Joins a HEADERS frame and its CONTINUATION frames into one field block (RFC 9113 §4.3, §6.10),
 * with two caps against CONTINUATION floods (the CVE-2024-27316 class: a peer that never ends a
 * block, or ends it only after countless tiny frames): the block's total size and the number of
 * CONTINUATION frames. A block must be buffered whole before it is decoded (HPACK cannot skip a
 * block without desynchronising), so breaking either cap ends the connection with
 * ENHANCE_YOUR_CALM.
 *
 * <p>Only one block can be open per connection: {@link FrameReader} refuses any other frame
 * while one is (§6.10). The buffer grows as blocks need it, up to the cap, and is reused.
 */
final class HeaderBlockAssembler {

    private final int maxBlockSize;
    private final int maxContinuations;

    private byte[] block = new byte[512];
    private int length;
    private int streamId;
    private boolean endStream;
    private int streamDependency;
    private int continuations;

    /**
     * @param maxBlockSize the largest field block accepted, in octets (HPACK-encoded)
     * @param maxContinuations the most CONTINUATION frames one block may use
     */
    HeaderBlockAssembler(int maxBlockSize, int maxContinuations) {
        if (maxBlockSize < 1 || maxContinuations < 0) {
            throw new IllegalArgumentException("block size " + maxBlockSize + ", continuations " + maxContinuations);
        }
        this.maxBlockSize = maxBlockSize;
        this.maxContinuations = maxContinuations;
    }

    int maxBlockSize() {
        return maxBlockSize;
    }

    /** Whether a block was started and awaits CONTINUATION frames. */
    boolean inProgress() {
        return streamId != 0;
    }

    /** The stream of the block in progress, or 0. */
    int streamId() {
        return streamId;
    }

    boolean endStream() {
        return endStream;
    }

    int streamDependency() {
        return streamDependency;
    }

    /** The joined block: octets 0 to {@link #length()}; valid until the next {@link #start}. */
    byte[] block() {
        return block;
    }

    int length() {
        return length;
    }

    /** Starts a block with the fragment of a HEADERS frame without END_HEADERS. */
    void start(int streamId, boolean endStream, int streamDependency, byte[] fragment, int offset, int count)
            throws Http2ConnectionException {
        this.streamId = streamId;
        this.endStream = endStream;
        this.streamDependency = streamDependency;
        this.length = 0;
        this.continuations = 0;
        add(fragment, offset, count);
    }

    /**
     * Adds a CONTINUATION frame's fragment.
     *
     * @return whether the block is complete (END_HEADERS); then {@link #inProgress()} is false
     */
    boolean append(byte[] fragment, int offset, int count, boolean endHeaders) throws Http2ConnectionException {
        if (++continuations > maxContinuations) {
            throw new Http2ConnectionException(
                    ErrorCode.ENHANCE_YOUR_CALM,
                    "field block of stream " + streamId + " uses more than " + maxContinuations
                            + " CONTINUATION frames");
        }
        add(fragment, offset, count);
        if (endHeaders) {
            streamId = 0;
        }
        return endHeaders;
    }

    /** Fails when a block of {@code size} octets would break the size cap. */
    void checkSize(int streamId, long size) throws Http2ConnectionException {
        if (size > maxBlockSize) {
            throw new Http2ConnectionException(
                    ErrorCode.ENHANCE_YOUR_CALM,
                    "field block of stream " + streamId + " larger than " + maxBlockSize + " octets");
        }
    }

    private void add(byte[] fragment, int offset, int count) throws Http2ConnectionException {
        checkSize(streamId, (long) length + count);
        if (length + count > block.length) {
            block = Arrays.copyOf(block, Math.min(maxBlockSize, Math.max(length + count, 2 * block.length)));
        }
        System.arraycopy(fragment, offset, block, length, count);
        length += count;
    }
}
