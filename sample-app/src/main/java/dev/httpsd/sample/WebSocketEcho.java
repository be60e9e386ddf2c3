package dev.httpsd.sample;

import dev.httpsd.autoconfigure.UriHandlerBean;
import dev.httpsd.server.HttpMethod;
import dev.httpsd.server.HttpRequest;
import dev.httpsd.server.HttpResponse;
import dev.httpsd.server.RequestHandler;
import dev.httpsd.server.WebSocket;
import dev.httpsd.server.WsFrame;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * {@code /ws}: echoes every WebSocket frame as it arrives (text, binary, fragments), like ESP's
 * ws_echo_server and wss_server examples; ws:// with the insecure profile, wss:// otherwise.
 */
@UriHandlerBean(uri = "/ws", webSocket = true)
class WebSocketEcho implements RequestHandler {

    private static final Log LOG = LogFactory.getLog(WebSocketEcho.class);
    private static final int MAX_FRAME = 1024 * 1024;

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws Exception {
        WebSocket ws = WebSocket.of(request).orElse(null);
        if (ws == null) {
            response.contentType("text/plain").send("Connect with a WebSocket client to echo messages\n");
            return;
        }
        if (request.method() == HttpMethod.GET) {
            LOG.info("WebSocket handshake done, session " + request.session().id());
            return;
        }
        WsFrame frame = ws.recvFrame(MAX_FRAME);
        ws.sendFrame(new WsFrame(frame.type(), frame.finalFragment(), frame.fragmented(), frame.payload()));
    }
}
