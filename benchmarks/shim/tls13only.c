/*
 * LD_PRELOAD shim for h2load (scenario j): h2load sets TLS 1.2 as its lowest version itself, over
 * OPENSSL_CONF's MinProtocol, so its ClientHello would list TLS 1.2 suites beside the one TLS 1.3
 * suite the harness pins (--tls13-ciphers). Any lowest version below TLS 1.3 set on a context is
 * raised to TLS 1.3: the client then offers exactly one suite, as wrk does.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <openssl/ssl.h>

long SSL_CTX_ctrl(SSL_CTX *context, int command, long larg, void *parg) {
    static long (*real_ctrl)(SSL_CTX *, int, long, void *);
    if (!real_ctrl) {
        real_ctrl = (long (*)(SSL_CTX *, int, long, void *)) dlsym(RTLD_NEXT, "SSL_CTX_ctrl");
    }
    if (command == SSL_CTRL_SET_MIN_PROTO_VERSION && larg < TLS1_3_VERSION) {
        larg = TLS1_3_VERSION;
    }
    return real_ctrl(context, command, larg, parg);
}
