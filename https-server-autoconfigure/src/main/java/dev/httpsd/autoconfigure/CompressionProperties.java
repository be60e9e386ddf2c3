package dev.httpsd.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import org.springframework.util.unit.DataSize;

/**
 * {@code https-server.compression.*}: gzip for handler responses, in the shape of Spring Boot's
 * {@code server.compression.*}.
 */
public class CompressionProperties {

    /** Whether to gzip handler responses sent whole, for clients that accept gzip. */
    private boolean enabled = false;

    /** MIME types compressed (parameters ignored; wildcards such as text/* allowed). */
    private List<String> mimeTypes = new ArrayList<>(List.of(
            "text/html",
            "text/xml",
            "text/plain",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "application/problem+json",
            "application/xml"));

    /** Smallest response body compressed; smaller ones are sent as they are. */
    private DataSize minResponseSize = DataSize.ofKilobytes(2);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getMimeTypes() {
        return mimeTypes;
    }

    public void setMimeTypes(List<String> mimeTypes) {
        this.mimeTypes = mimeTypes;
    }

    public DataSize getMinResponseSize() {
        return minResponseSize;
    }

    public void setMinResponseSize(DataSize minResponseSize) {
        this.minResponseSize = minResponseSize;
    }
}
