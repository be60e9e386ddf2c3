package dev.httpsd.autoconfigure;

import dev.httpsd.server.tls.HttpsServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;

/**
 * Spring Boot's {@link WebServerInitializedEvent} for the httpsd server, published each time it
 * starts listening. Its application context has the server namespace {@value #SERVER_NAMESPACE},
 * so Boot's own listeners tell it from a servlet or reactive server in the same application: the
 * port comes out as {@code local.https-server.port}, a port file as {@code
 * <application>-https-server.port}.
 */
public final class HttpsServerInitializedEvent extends WebServerInitializedEvent {

    /** The server namespace of the httpsd server. */
    public static final String SERVER_NAMESPACE = "https-server";

    private static final long serialVersionUID = 1L;

    private final transient HttpsServer server;
    private final transient WebServerApplicationContext applicationContext;

    HttpsServerInitializedEvent(HttpsdWebServer webServer, ApplicationContext context) {
        super(webServer);
        this.server = webServer.server();
        this.applicationContext = NamespacedWebServerContext.of(context, webServer, SERVER_NAMESPACE);
    }

    @Override
    public HttpsdWebServer getWebServer() {
        return (HttpsdWebServer) super.getWebServer();
    }

    /** The application's context, seen as a web server context with the namespace {@value #SERVER_NAMESPACE}. */
    @Override
    public WebServerApplicationContext getApplicationContext() {
        return applicationContext;
    }

    /** The server that started. */
    public HttpsServer server() {
        return server;
    }

    /** The port served (secure or insecure, by transport mode). */
    public int port() {
        return server.port();
    }
}
