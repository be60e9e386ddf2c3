package dev.httpsd.autoconfigure;

import org.springframework.util.unit.DataSize;

/**
 * {@code https-server.codec.*}: limits of the handler model's body reading, in the shape of
 * Spring Boot's {@code spring.codec.*}.
 */
public class CodecProperties {

    /** Largest request body a handler method reads into memory (byte[], String, JSON); larger ones are answered 413. */
    private DataSize maxInMemorySize = DataSize.ofKilobytes(256);

    public DataSize getMaxInMemorySize() {
        return maxInMemorySize;
    }

    public void setMaxInMemorySize(DataSize maxInMemorySize) {
        this.maxInMemorySize = maxInMemorySize;
    }
}
