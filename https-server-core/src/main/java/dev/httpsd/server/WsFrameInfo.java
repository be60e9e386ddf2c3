package dev.httpsd.server;

/**
 * The header of the frame being received (ESP's {@code httpd_ws_recv_frame} with {@code max_len}
 * 0): its type, FIN bit, length and the payload bytes not read yet ({@code left_len}).
 *
 * @param type the frame type (CONTINUE for a continuation)
 * @param finalFragment the FIN bit
 * @param fragmented whether the frame belongs to a fragmented message
 * @param length the payload length
 * @param remaining payload bytes still unread
 */
public record WsFrameInfo(WsType type, boolean finalFragment, boolean fragmented, long length, long remaining) {}
