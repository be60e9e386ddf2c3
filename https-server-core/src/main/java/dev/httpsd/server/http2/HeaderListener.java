package dev.httpsd.server.http2;

/**
 * Receives the fields of a header block as {@link HpackDecoder} decodes them, in order. Names and
 * values hold one octet per char (ISO-8859-1). A listener must not throw: the decoder has to read
 * the whole block to keep its dynamic table in step with the peer, so a listener that finds a
 * field it refuses remembers that and reports it once the block is decoded.
 */
@FunctionalInterface
interface HeaderListener {

    void header(String name, String value);
}
