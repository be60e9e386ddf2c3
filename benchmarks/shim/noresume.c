/*
 * LD_PRELOAD shim for load generators linked to OpenSSL (wrk): every connection does a full TLS
 * handshake. The client never offers a saved session: SSL_set_session is a no-op, SSL_clear (wrk
 * reuses its SSL objects across reconnects) drops the session it kept, and new contexts cache
 * nothing and ask for no tickets.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <openssl/ssl.h>

int SSL_set_session(SSL *ssl, SSL_SESSION *session) {
    (void) ssl;
    (void) session;
    return 1;
}

int SSL_clear(SSL *ssl) {
    static int (*real_clear)(SSL *);
    static int (*real_set_session)(SSL *, SSL_SESSION *);
    if (!real_clear) {
        real_clear = (int (*)(SSL *)) dlsym(RTLD_NEXT, "SSL_clear");
        real_set_session = (int (*)(SSL *, SSL_SESSION *)) dlsym(RTLD_NEXT, "SSL_set_session");
    }
    int result = real_clear(ssl);
    real_set_session(ssl, NULL);
    return result;
}

SSL_CTX *SSL_CTX_new(const SSL_METHOD *method) {
    static SSL_CTX *(*real_new)(const SSL_METHOD *);
    if (!real_new) {
        real_new = (SSL_CTX * (*) (const SSL_METHOD *)) dlsym(RTLD_NEXT, "SSL_CTX_new");
    }
    SSL_CTX *context = real_new(method);
    if (context) {
        SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_OFF);
        SSL_CTX_set_options(context, SSL_OP_NO_TICKET);
    }
    return context;
}
