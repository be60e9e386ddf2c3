#!/usr/bin/env bash
# Captures the PROXY protocol headers HAProxy really sends, as test vectors for the parser in
# dev.httpsd.server.proxy: HAProxy (Debian package) relays a connection to a capture listener on
# loopback with send-proxy (v1), send-proxy-v2, send-proxy-v2-ssl-cn with every proxy-v2-options
# field HAProxy 2.6 has (its ALPN field comes with the ssl option), and its health checks (check-send-proxy); the listener writes the bytes it received
# (header, then the client's first bytes) to one file per case.
#
# Usage: scripts/capture-proxy-headers.sh [output directory]
#   default output: https-server-core/src/test/resources/dev/httpsd/server/proxy/haproxy
# Needs root or sudo to install haproxy; uses openssl, python3 and ss (iproute2). Ports: free ones, picked by the
# kernel. Every wait is bounded; every process started is stopped on exit.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${1:-$ROOT/https-server-core/src/test/resources/dev/httpsd/server/proxy/haproxy}

if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
if ! command -v haproxy >/dev/null 2>&1; then
  echo "capture: installing haproxy"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq haproxy >/dev/null
fi
command -v python3 >/dev/null || { echo "capture: python3 is needed" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/proxy-capture.XXXXXX")
HAPROXY_PID=
LISTENER_PID=
cleanup() {
  for pid in $HAPROXY_PID $LISTENER_PID; do
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# --- certificates: a CA, HAProxy's frontend certificate (EC P-256), a client certificate ---------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=capture CA" \
  -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=balancer.test" \
  -keyout "$WORK/server.key" -out "$WORK/server.csr" 2>/dev/null
openssl x509 -req -in "$WORK/server.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial \
  -days 2 -out "$WORK/server.crt" 2>/dev/null
cat "$WORK/server.crt" "$WORK/server.key" > "$WORK/server.pem"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=client one" \
  -keyout "$WORK/client.key" -out "$WORK/client.csr" 2>/dev/null
openssl x509 -req -in "$WORK/client.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial \
  -days 2 -out "$WORK/client.crt" 2>/dev/null

# --- the capture listener: one connection per case, bytes until the peer closes or 1 s of quiet ---
cat > "$WORK/listener.py" <<'PY'
import socket, sys
host, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
family = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(family, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port))
s.listen(8)
s.settimeout(20)
conn, _ = s.accept()
conn.settimeout(1.0)
data = b""
try:
    while len(data) < 65536:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
except (socket.timeout, ConnectionResetError):
    pass  # quiet for 1 s, or a health check's reset: what arrived is the capture
with open(out, "wb") as f:
    f.write(data)
conn.close()
s.close()
PY

# capture NAME CLIENT_FAMILY BACKEND_FAMILY SERVER_OPTIONS BIND_OPTIONS CLIENT
#   CLIENT: "tcp" sends PING; "tls" and "tls-cert" run openssl s_client; "none" waits for a check
capture() {
  local name=$1 client_addr=$2 server_opts=$3 bind_opts=$4 client=$5
  local frontend backend
  frontend=$(free_port)
  backend=$(free_port)
  local listen_host=127.0.0.1
  local bind_addr=$client_addr
  cat > "$WORK/$name.cfg" <<CFG
global
  log stderr format raw local0 err
defaults
  mode tcp
  timeout connect 5s
  timeout client 10s
  timeout server 10s
frontend fe
  bind ${bind_addr}:${frontend} ${bind_opts}
  unique-id-format %{+X}o\ %ci:%cp_%fi:%fp_%Ts_%rt:%pid
  default_backend be
backend be
  server capture 127.0.0.1:${backend} ${server_opts}
CFG
  haproxy -f "$WORK/$name.cfg" -db >"$WORK/$name.log" 2>&1 &
  HAPROXY_PID=$!
  # wait (bounded) for HAProxy to listen; a probe connection would be relayed to the listener
  for _ in $(seq 1 100); do
    if ss -ltnH "sport = :$frontend" | grep -q LISTEN; then break; fi
    sleep 0.1
  done
  python3 "$WORK/listener.py" "$listen_host" "$backend" "$WORK/$name.bin" &
  LISTENER_PID=$!
  sleep 0.3
  local target="${client_addr}:${frontend}"
  case $client in
    tcp)
      python3 -c "
import socket, time
s = socket.create_connection(('${client_addr//[\[\]]/}', $frontend), 5)
s.sendall(b'PING\r\n'); time.sleep(0.5); s.close()" ;;
    tls)
      printf 'PING\r\n' | timeout 10 openssl s_client -connect "$target" -servername example.test \
        -alpn h2,http/1.1 -CAfile "$WORK/ca.pem" -quiet >/dev/null 2>&1 || true ;;
    tls-cert)
      printf 'PING\r\n' | timeout 10 openssl s_client -connect "$target" -servername example.test \
        -alpn h2,http/1.1 -CAfile "$WORK/ca.pem" -cert "$WORK/client.crt" -key "$WORK/client.key" \
        -quiet >/dev/null 2>&1 || true ;;
    none) ;;
  esac
  for _ in $(seq 1 200); do kill -0 "$LISTENER_PID" 2>/dev/null || break; sleep 0.1; done
  kill "$HAPROXY_PID" 2>/dev/null || true
  wait "$HAPROXY_PID" 2>/dev/null || true
  HAPROXY_PID=
  if kill -0 "$LISTENER_PID" 2>/dev/null; then
    echo "capture: $name: nothing arrived; HAProxy said:" >&2
    cat "$WORK/$name.log" >&2
    kill "$LISTENER_PID"
    exit 1
  fi
  LISTENER_PID=
  mkdir -p "$OUT"
  cp "$WORK/$name.bin" "$OUT/$name.bin"
  echo "capture: $name: $(wc -c <"$OUT/$name.bin") bytes"
}

SSL_BIND="ssl crt $WORK/server.pem ca-file $WORK/ca.pem verify optional alpn h2,http/1.1"
ALL_V2="send-proxy-v2-ssl-cn proxy-v2-options ssl,cert-cn,ssl-cipher,cert-sig,cert-key,authority,crc32c,unique-id"

capture v1-tcp4           127.0.0.1 "send-proxy"    ""          tcp
capture v1-tcp6           "[::1]"   "send-proxy"    ""          tcp
capture v2-tcp4           127.0.0.1 "send-proxy-v2" ""          tcp
capture v2-tcp6           "[::1]"   "send-proxy-v2" ""          tcp
capture v2-ssl            127.0.0.1 "$ALL_V2"       "$SSL_BIND" tls
capture v2-ssl-client-cert 127.0.0.1 "$ALL_V2"      "$SSL_BIND" tls-cert
capture v2-crc32c-tcp4    127.0.0.1 "send-proxy-v2 proxy-v2-options crc32c,unique-id" "" tcp
capture v2-health-check   127.0.0.1 "send-proxy-v2 check check-send-proxy inter 200ms" "" none
capture v1-health-check   127.0.0.1 "send-proxy check check-send-proxy inter 200ms" "" none

VERSION=$(haproxy -v | head -1)
cat > "$OUT/README.md" <<MD
# PROXY protocol headers captured from HAProxy

Produced by \`scripts/capture-proxy-headers.sh\` with **${VERSION}** (Debian package) on
$(date -u +%Y-%m-%d). Each file holds the bytes HAProxy sent to a backend on loopback: the PROXY
header, then what the client sent through it (\`PING\\r\\n\`; nothing for the health checks).

| file | HAProxy \`server\` options | client |
|---|---|---|
| v1-tcp4.bin | send-proxy | TCP from 127.0.0.1 |
| v1-tcp6.bin | send-proxy | TCP from ::1 |
| v2-tcp4.bin | send-proxy-v2 | TCP from 127.0.0.1 |
| v2-tcp6.bin | send-proxy-v2 | TCP from ::1 |
| v2-ssl.bin | ${ALL_V2} | TLS (SNI example.test, ALPN h2), no client certificate |
| v2-ssl-client-cert.bin | the same | TLS with a client certificate (CN=client one) |
| v2-crc32c-tcp4.bin | send-proxy-v2 proxy-v2-options crc32c,unique-id | TCP from 127.0.0.1 |
| v2-health-check.bin | send-proxy-v2 check check-send-proxy | HAProxy's own health check |
| v1-health-check.bin | send-proxy check check-send-proxy | HAProxy's own health check |

Ports differ per run (free ones); the tests check the structure and the values that do not.
MD
echo "capture: written to $OUT"
