package dev.httpsd.autoconfigure.handler;

import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.tls.TlsSession;
import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.util.MimeType;

/**
 * One request on its way through the interceptors to a handler: which handler, who is calling,
 * and attributes the interceptors and the handler share. A handler method may take it as a
 * parameter. Used by one request's thread at a time.
 */
public final class HandlerInvocation {

    private final MappedHandler handler;
    private final HttpRequest request;
    private final HandlerResponse response;
    private Principal principal;
    private Map<String, Object> attributes;
    /** The media type content negotiation chose for the answer; {@code null} when none was declared. */
    private MimeType produced;
    /** What advice is answering; {@code null} otherwise. */
    private Throwable failure;

    HandlerInvocation(MappedHandler handler, HttpRequest request, HandlerResponse response) {
        this.handler = handler;
        this.request = request;
        this.response = response;
    }

    /** The handler the request is for. */
    public MappedHandler handler() {
        return handler;
    }

    /**
     * Who is calling: the principal an interceptor {@linkplain #setPrincipal set}, else the
     * subject of the client certificate the TLS session verified (mutual TLS), else empty. A
     * handler method's {@code Principal} parameter is bound to it.
     */
    public Optional<Principal> principal() {
        if (principal != null) {
            return Optional.of(principal);
        }
        return TlsSession.of(request.session())
                .filter(tls -> !tls.peerCertificates().isEmpty())
                .map(tls -> tls.peerCertificates().get(0).getSubjectX500Principal());
    }

    /** Sets who is calling, for example after an interceptor checked an {@code Authorization} header. */
    public void setPrincipal(Principal principal) {
        this.principal = Objects.requireNonNull(principal, "principal");
    }

    HttpRequest request() {
        return request;
    }

    HandlerResponse response() {
        return response;
    }

    MimeType produced() {
        return produced;
    }

    void produced(MimeType produced) {
        this.produced = produced;
    }

    Throwable failure() {
        return failure;
    }

    void failure(Throwable failure) {
        this.failure = failure;
    }

    /** An attribute set earlier in this request, or {@code null}. */
    public Object attribute(String name) {
        return attributes == null ? null : attributes.get(name);
    }

    /** Sets an attribute for the rest of this request; {@code null} removes it. */
    public void setAttribute(String name, Object value) {
        Objects.requireNonNull(name, "name");
        if (value == null) {
            if (attributes != null) {
                attributes.remove(name);
            }
            return;
        }
        if (attributes == null) {
            attributes = new HashMap<>();
        }
        attributes.put(name, value);
    }
}
