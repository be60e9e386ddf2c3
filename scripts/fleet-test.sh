#!/usr/bin/env bash
# Fleet test (issue 24, item 4): two sample instances on loopback behind HAProxy.
#
#   1. TCP mode, TLS passed through, PROXY protocol v2: /whoami shows curl's own address and port,
#      the balancer as proxiedFrom, and both instances get connections (roundrobin).
#   2. HTTP mode, TLS terminated at HAProxy with the same certificate and re-encrypted to the
#      instances (`ssl verify none`), `option forwardfor`: /whoami shows the client from
#      X-Forwarded-For and the scheme https.
#   3. Rolling restart under load (TCP mode, health check on each instance's readiness probe on its
#      management port): A then B get SIGTERM (server.shutdown=graceful), are started again and
#      become ready while a bounded curl loop runs; requests sent / answered / failed are counted.
#      Twice: "sigterm" sends SIGTERM at once (the balancer learns of the drain from the health
#      check and from refused connections, which it retries on the other instance: retries 3,
#      option redispatch); "prestop" first takes the instance out of the balancer (HAProxy runtime
#      API `set server … state maint`, what a Kubernetes endpoint removal does during a preStop
#      pause), waits PRESTOP_PAUSE seconds, then sends SIGTERM, and puts it back once it is UP.
#   4. Cross-instance resumption, OpenSSL engine, one shared 48-byte ticket key (nginx format):
#      a session saved by `openssl s_client -sess_out` on A is `Reused` on B (TLS 1.3 and 1.2),
#      and is not on a third instance C with another key.
#
# The client connects from 127.0.0.2 (curl --interface, openssl -bind is not needed), so that the
# client the instances report is told apart from the balancer (127.0.0.1); loopback answers on all
# of 127.0.0.0/8.
#
# Usage: scripts/fleet-test.sh     (from anywhere; root or sudo to install haproxy, curl, openssl,
#                                   python3 when missing)
# Figures go to target/fleet-test/results.md (and are printed); logs of every process next to it.
# Exit status 0 only if every check passed. Not part of `mvn verify`: it needs HAProxy and takes a
# few minutes.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/target/fleet-test"
rm -rf "$OUT"
mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fleet-test.XXXXXX")

CLIENT_IP=127.0.0.2
PRESTOP_PAUSE=${PRESTOP_PAUSE:-2}
LOAD_WORKERS=${LOAD_WORKERS:-2}   # concurrent curl loops: modest on a shared 2-core machine
LOAD_MAX_REQUESTS=${LOAD_MAX_REQUESTS:-20000}
SCRIPT_DEADLINE=$((SECONDS + ${FLEET_TEST_TIMEOUT:-600}))

# ---------------------------------------------------------------------------------------- tools
if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
need=()
for tool in haproxy curl openssl python3; do
  command -v "$tool" >/dev/null 2>&1 || need+=("$tool")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "fleet-test: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  for jdk in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*21*; do
    if [ -x "$jdk/bin/java" ]; then export JAVA_HOME="$jdk"; break; fi
  done
fi
JAVA="$JAVA_HOME/bin/java"

# ------------------------------------------------------------------------------ bookkeeping
declare -A PID PORT MGMT STARTS LOGF
HAPROXY_PID=
LOAD_PIDS=()
FAILED=0
RESULTS="$OUT/results.md"

cleanup() {
  local p
  for p in "${LOAD_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$HAPROXY_PID" ] && kill "$HAPROXY_PID" 2>/dev/null || true
  for name in "${!PID[@]}"; do stop_instance "$name" || true; done
  cp "$WORK"/*.log "$WORK"/*.cfg "$OUT/" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "fleet-test: $*" >&2; }
result() { echo "$*" >>"$RESULTS"; echo "$*"; }
check() { # check DESCRIPTION CONDITION-EXIT-STATUS
  local what=$1; shift
  if "$@"; then result "- PASS: $what"; else result "- FAIL: $what"; FAILED=1; fi
}
deadline_left() { echo $((SCRIPT_DEADLINE - SECONDS)); }
require_time() { [ "$(deadline_left)" -gt 0 ] || { log "out of time"; exit 3; }; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for SECONDS COMMAND...: polls every 0.25 s until COMMAND succeeds; 1 on timeout
wait_for() {
  local limit=$((SECONDS + $1)); shift
  until "$@"; do
    [ "$SECONDS" -lt "$limit" ] || return 1
    require_time
    sleep 0.25
  done
}

# -------------------------------------------------------------------------- build, material
log "building the sample application (mvn -q -B -pl sample-app -am package -DskipTests)"
mvn -q -B -pl sample-app -am package -DskipTests >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 2; }
JAR=$(ls "$ROOT"/sample-app/target/sample-app-*.jar | head -n 1)
# The sample does not bundle the OpenSSL engine (netty-handler, netty-tcnative-boringssl-static):
# the core's optional dependencies are resolved from the local repository (no install) and added
# with Spring Boot's PropertiesLauncher (loader.path), as an operator adds them to a deployment.
mvn -q -B -pl https-server-core dependency:build-classpath -Dmdep.outputFile="$WORK/core-cp.txt" \
  >"$WORK/classpath.log" 2>&1 || { cat "$WORK/classpath.log"; exit 2; }
mkdir -p "$WORK/lib"
tr ':' '\n' <"$WORK/core-cp.txt" | grep '/io/netty/' | xargs -I{} cp {} "$WORK/lib/"

log "making one certificate and the ticket keys"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=localhost -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
cat "$WORK/cert.pem" "$WORK/key.pem" >"$WORK/site.pem" # HAProxy's crt: chain and key in one file
openssl rand 48 >"$WORK/ticket-shared.key"             # nginx format: 48 raw bytes
openssl rand 48 >"$WORK/ticket-other.key"

# ------------------------------------------------------------------------------ instances
# start_instance NAME SECURE-PORT MGMT-PORT ARGS...: port 0 picks free ports (read from the log)
start_instance() {
  local name=$1 port=$2 mgmt=$3; shift 3
  # a restarted instance logs to a new file (a-2.log…), so its ports are read from its own log
  STARTS[$name]=$(( ${STARTS[$name]:-0} + 1 ))
  LOGF[$name]="$WORK/$name.log"
  [ "${STARTS[$name]}" = 1 ] || LOGF[$name]="$WORK/$name-${STARTS[$name]}.log"
  : >"${LOGF[$name]}"
  "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dloader.path="$WORK/lib" \
    -cp "$JAR" org.springframework.boot.loader.launch.PropertiesLauncher \
    --https-server.address=127.0.0.1 \
    --https-server.port-secure="$port" \
    --management.server.port="$mgmt" \
    --management.server.address=127.0.0.1 \
    --https-server.ssl.dev-certificate.enabled=false \
    --https-server.ssl.certificate="$WORK/cert.pem" \
    --https-server.ssl.private-key="$WORK/key.pem" \
    --https-server.hsts.enabled=false \
    --server.shutdown=graceful \
    --spring.lifecycle.timeout-per-shutdown-phase=10s \
    --logging.level.dev.httpsd.sample.EventLog=WARN \
    "$@" >>"${LOGF[$name]}" 2>&1 &
  PID[$name]=$!
}

ports_logged() {
  local name=$1
  kill -0 "${PID[$name]}" 2>/dev/null || { log "$name exited; its log:"; tail -n 40 "${LOGF[$name]}" >&2; exit 2; }
  PORT[$name]=$(grep -oE 'httpsd serving HTTPS on port [0-9]+' "${LOGF[$name]}" | tail -n 1 | grep -oE '[0-9]+$' || true)
  MGMT[$name]=$(grep -oE 'Actuator on http://127\.0\.0\.1:[0-9]+' "${LOGF[$name]}" | tail -n 1 | grep -oE '[0-9]+$' || true)
  [ -n "${PORT[$name]}" ] && [ -n "${MGMT[$name]}" ]
}

ready() { curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:${MGMT[$1]}/actuator/health/readiness" | grep -q 200; }

await_instance() {
  local name=$1
  wait_for 90 ports_logged "$name" || { log "$name did not log its ports within 90 s"; tail -n 40 "${LOGF[$name]}" >&2; exit 2; }
  wait_for 30 ready "$name" || { log "$name not ready within 30 s"; exit 2; }
  log "$name: HTTPS ${PORT[$name]}, management ${MGMT[$name]}, pid ${PID[$name]}"
}

# stop_instance NAME: SIGTERM and wait up to 30 s (then SIGKILL, a failure)
stop_instance() {
  local name=$1 p=${PID[$1]:-}
  [ -n "$p" ] || return 0
  kill "$p" 2>/dev/null || true
  local limit=$((SECONDS + 30))
  while kill -0 "$p" 2>/dev/null && [ "$SECONDS" -lt "$limit" ]; do sleep 0.1; done
  unset 'PID[$name]'
  if kill -0 "$p" 2>/dev/null; then kill -9 "$p" 2>/dev/null || true; return 1; fi
  wait "$p" 2>/dev/null || true
}

TLS_ARGS=(--https-server.ssl.engine=openssl)
PROXY_ARGS=(--https-server.proxy-protocol.enabled=true --https-server.proxy-protocol.trusted-sources=127.0.0.1/32)
SHARED_KEYS=(--https-server.ssl.session-ticket-keys.files="$WORK/ticket-shared.key")

# ------------------------------------------------------------------------------- haproxy
start_haproxy() { # CONFIG-FILE
  [ -n "$HAPROXY_PID" ] && { kill "$HAPROXY_PID" 2>/dev/null || true; wait "$HAPROXY_PID" 2>/dev/null || true; }
  haproxy -c -f "$1" >"$WORK/haproxy-check.log" 2>&1 || { cat "$WORK/haproxy-check.log"; exit 2; }
  haproxy -db -f "$1" >>"$WORK/haproxy.log" 2>&1 &
  HAPROXY_PID=$!
}

# stat SERVER FIELD: a field of `show stat` (CSV) for backend bk's server, via the stats page
hstat() {
  curl -s --max-time 2 "http://127.0.0.1:$STATS_PORT/stats;csv" \
    | awk -F, -v sv="$1" -v f="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==f||$i=="# "f) c=i} $1=="bk" && $2==sv {print $c}'
}
server_up() { [ "$(hstat "$1" status)" = UP ]; }
haproxy_cmd() { # runtime API over the admin socket
  python3 - "$WORK/haproxy.sock" "$1" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode()); print(s.recv(4096).decode().strip())
EOF
}

LB_PORT=$(free_port); STATS_PORT=$(free_port)
haproxy_head() {
  cat <<EOF
global
    maxconn 256
    stats socket $WORK/haproxy.sock level admin
defaults
    timeout connect 2s
    timeout client 20s
    timeout server 20s
listen stats
    mode http
    bind 127.0.0.1:$STATS_PORT
    stats enable
    stats uri /stats
EOF
}

whoami_field() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print("" if v is None else v)' "$1" "$2"; }

{
  echo "# Fleet test results"
  echo
  echo "\`scripts/fleet-test.sh\`, $(date -u '+%Y-%m-%d %H:%M UTC'), $(haproxy -v | head -n 1 | cut -d' ' -f1-3), $(curl --version | head -n 1 | cut -d' ' -f1-2), $(openssl version | cut -d' ' -f1-2), $("$JAVA" -version 2>&1 | head -n 1), $(nproc) cores"
  echo
} >"$RESULTS"

# ============================================ 2. HTTP mode: X-Forwarded-For (instances without PROXY)
log "phase: HTTP mode (TLS terminated and re-encrypted by HAProxy, X-Forwarded-For)"
FWD_ARGS=(--server.forward-headers-strategy=native --https-server.forwarded.trusted-proxies=127.0.0.1/32)
start_instance fa 0 0 "${FWD_ARGS[@]}"
start_instance fb 0 0 "${FWD_ARGS[@]}"
await_instance fa; await_instance fb
{
  haproxy_head
  cat <<EOF
frontend fe
    mode http
    bind 127.0.0.1:$LB_PORT ssl crt $WORK/site.pem
    option forwardfor
    http-request set-header X-Forwarded-Proto https
    http-request set-header X-Forwarded-Port %[dst_port]
    default_backend bk
backend bk
    mode http
    balance roundrobin
    server a 127.0.0.1:${PORT[fa]} ssl verify none
    server b 127.0.0.1:${PORT[fb]} ssl verify none
EOF
} >"$WORK/haproxy-http.cfg"
start_haproxy "$WORK/haproxy-http.cfg"
wait_for 10 curl -sk --max-time 2 -o /dev/null "https://127.0.0.1:$LB_PORT/" || { log "HAProxy did not answer"; exit 2; }

result "## HTTP mode: TLS terminated at HAProxy, re-encrypted to the instances, X-Forwarded-For"
result
ok=0
for i in 1 2 3 4; do
  curl -sk --max-time 5 --interface "$CLIENT_IP" -o "$WORK/w.json" "https://127.0.0.1:$LB_PORT/whoami" || true
  [ "$i" = 1 ] && result "- /whoami through HAProxy (mode http): \`$(tr -d '\n' <"$WORK/w.json")\`"
  if [ "$(whoami_field "$WORK/w.json" clientAddress)" = "$CLIENT_IP" ] \
    && [ "$(whoami_field "$WORK/w.json" scheme)" = https ] \
    && [ "$(whoami_field "$WORK/w.json" port)" = "$LB_PORT" ] \
    && [[ "$(whoami_field "$WORK/w.json" remoteAddress)" == /127.0.0.1:* ]]; then ok=$((ok + 1)); fi
done
check "4 of 4 answers show clientAddress $CLIENT_IP (from X-Forwarded-For), scheme https, port $LB_PORT (X-Forwarded-Port), remoteAddress HAProxy's 127.0.0.1 ($ok of 4)" [ "$ok" = 4 ]
result
stop_instance fa || true; stop_instance fb || true

# ================================== instances with PROXY v2, the OpenSSL engine and the shared key
log "phase: TCP mode instances (PROXY v2, OpenSSL engine, shared ticket key)"
start_instance a 0 0 "${TLS_ARGS[@]}" "${PROXY_ARGS[@]}" "${SHARED_KEYS[@]}"
start_instance b 0 0 "${TLS_ARGS[@]}" "${PROXY_ARGS[@]}" "${SHARED_KEYS[@]}"
start_instance c 0 0 "${TLS_ARGS[@]}" "${PROXY_ARGS[@]}" --https-server.ssl.session-ticket-keys.files="$WORK/ticket-other.key"
await_instance a; await_instance b; await_instance c
PA=$(free_port); PB=$(free_port); PC=$(free_port)
{
  haproxy_head
  cat <<EOF
frontend fe
    mode tcp
    bind 127.0.0.1:$LB_PORT
    default_backend bk
backend bk
    mode tcp
    balance roundrobin
    option httpchk GET /actuator/health/readiness
    http-check expect status 200
    retries 3
    option redispatch
    default-server send-proxy-v2 inter 500ms fall 1 rise 2
    server a 127.0.0.1:${PORT[a]} check port ${MGMT[a]}
    server b 127.0.0.1:${PORT[b]} check port ${MGMT[b]}
frontend fe_a
    mode tcp
    bind 127.0.0.1:$PA
    default_backend bk_a
backend bk_a
    mode tcp
    server a 127.0.0.1:${PORT[a]} send-proxy-v2
frontend fe_b
    mode tcp
    bind 127.0.0.1:$PB
    default_backend bk_b
backend bk_b
    mode tcp
    server b 127.0.0.1:${PORT[b]} send-proxy-v2
frontend fe_c
    mode tcp
    bind 127.0.0.1:$PC
    default_backend bk_c
backend bk_c
    mode tcp
    server c 127.0.0.1:${PORT[c]} send-proxy-v2
EOF
} >"$WORK/haproxy-tcp.cfg"
start_haproxy "$WORK/haproxy-tcp.cfg"
wait_for 20 server_up a || { log "HAProxy never saw a UP"; exit 2; }
wait_for 20 server_up b || { log "HAProxy never saw b UP"; exit 2; }

# ================================================================== 1. TCP mode, PROXY v2
result "## TCP mode: TLS passed through, PROXY protocol v2"
result
before_a=$(hstat a stot); before_b=$(hstat b stot)
ok=0
for i in $(seq 1 10); do
  lport=$(curl -sk --max-time 5 --interface "$CLIENT_IP" -o "$WORK/w.json" -w '%{local_port}' "https://127.0.0.1:$LB_PORT/whoami" || true)
  [ "$i" = 1 ] && result "- /whoami through HAProxy (mode tcp, send-proxy-v2), curl's local port $lport: \`$(tr -d '\n' <"$WORK/w.json")\`"
  if [ "$(whoami_field "$WORK/w.json" clientAddress)" = "$CLIENT_IP" ] \
    && [ "$(whoami_field "$WORK/w.json" clientPort)" = "$lport" ] \
    && [[ "$(whoami_field "$WORK/w.json" proxiedFrom)" == /127.0.0.1:* ]]; then ok=$((ok + 1)); fi
done
got_a=$(( $(hstat a stot) - before_a )); got_b=$(( $(hstat b stot) - before_b ))
check "10 of 10 answers show clientAddress $CLIENT_IP with curl's own local port and proxiedFrom HAProxy's 127.0.0.1 ($ok of 10)" [ "$ok" = 10 ]
check "both instances served (roundrobin): a $got_a, b $got_b connections" [ "$got_a" -ge 4 -a "$got_b" -ge 4 ]
result

# ============================================================ 4. cross-instance resumption
result "## Cross-instance TLS resumption (OpenSSL engine, shared 48-byte ticket key)"
result
# TLS 1.3 tickets come after the handshake: send a request and read the answer before leaving
resume() { # resume FRONTEND-PORT-OUT FRONTEND-PORT-IN TLS-OPTION -> prints New/Reused line of the second
  local sess="$WORK/s$RANDOM.pem"
  printf 'GET /whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' \
    | timeout 15 openssl s_client -connect "127.0.0.1:$1" -servername localhost "$3" -sess_out "$sess" -ign_eof >"$WORK/s_out.txt" 2>&1 || true
  printf 'GET /whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' \
    | timeout 15 openssl s_client -connect "127.0.0.1:$2" -servername localhost "$3" -sess_in "$sess" -ign_eof >"$WORK/s_in.txt" 2>&1 || true
  grep -m1 -E '^(New|Reused),' "$WORK/s_in.txt" || echo "no handshake line"
}
for v in tls1_3 tls1_2; do
  line=$(resume "$PA" "$PB" "-$v")
  check "$v: session from A resumed on B (same key): \`$line\`" grep -q '^Reused' <<<"$line"
  line=$(resume "$PA" "$PC" "-$v")
  check "$v: session from A not resumed on C (another key): \`$line\`" grep -q '^New' <<<"$line"
done
result
stop_instance c || true

# ============================================================== 3. rolling restart under load
# load worker: batches of 20 requests per curl process, each on a new connection (Connection:
# close), until the stop file appears, LOAD_MAX_REQUESTS per worker, or the script's deadline
load_worker() {
  local out=$1 n=0 urls=()
  for _ in $(seq 1 20); do urls+=("https://127.0.0.1:$LB_PORT/whoami"); done
  while [ ! -f "$WORK/stop-load" ] && [ "$n" -lt "$LOAD_MAX_REQUESTS" ] && [ "$SECONDS" -lt "$SCRIPT_DEADLINE" ]; do
    curl -sk --interface "$CLIENT_IP" --connect-timeout 5 --max-time 10 -H 'Connection: close' \
      -w '%{stderr}%{http_code} %{exitcode} %{time_total}\n' "${urls[@]}" >/dev/null 2>>"$out" || true
    n=$((n + 20))
  done
}

rolling_restart() { # VARIANT (sigterm|prestop) GATING (yes|no)
  local variant=$1 gating=$2 t0=$SECONDS
  rm -f "$WORK/stop-load" "$WORK"/load-*.txt
  LOAD_PIDS=()
  for w in $(seq 1 "$LOAD_WORKERS"); do load_worker "$WORK/load-$w.txt" & LOAD_PIDS+=($!); done
  sleep 2 # load under way on both instances first
  local notes=()
  for name in a b; do
    local ts=$SECONDS
    if [ "$variant" = prestop ]; then
      haproxy_cmd "set server bk/$name state maint" >/dev/null
      sleep "$PRESTOP_PAUSE"
    fi
    stop_instance "$name" || { notes+=("$name needed SIGKILL"); FAILED=1; }
    local down=$((SECONDS - ts))
    # the same ports, which HAProxy's configuration names (a port taken meanwhile fails the run)
    start_instance "$name" "${PORT[$name]}" "${MGMT[$name]}" "${TLS_ARGS[@]}" "${PROXY_ARGS[@]}" "${SHARED_KEYS[@]}"
    await_instance "$name"
    [ "$variant" = prestop ] && haproxy_cmd "set server bk/$name state ready" >/dev/null
    wait_for 30 server_up "$name" || { notes+=("HAProxy never saw $name UP again"); FAILED=1; }
    notes+=("$name: stopped in ${down} s, UP again in HAProxy after $((SECONDS - ts)) s")
    sleep 1
  done
  touch "$WORK/stop-load"
  for p in "${LOAD_PIDS[@]}"; do wait "$p" || true; done
  LOAD_PIDS=()
  cat "$WORK"/load-*.txt >"$WORK/load-$variant.log"
  local sent answered failed
  sent=$(wc -l <"$WORK/load-$variant.log")
  answered=$(awk '$1 == 200' "$WORK/load-$variant.log" | wc -l)
  failed=$((sent - answered))
  result "### Variant \`$variant\` ($((SECONDS - t0)) s, $LOAD_WORKERS concurrent curl loops, a new connection per request)"
  result
  if [ "$variant" = prestop ]; then
    result "- each instance: \`set server bk/<name> state maint\` on HAProxy's runtime API, ${PRESTOP_PAUSE} s pause, SIGTERM, start on the same ports, \`state ready\`, UP"
  else
    result "- each instance: SIGTERM, start on the same ports, UP (HAProxy learns of the drain from its health check and from refused connections)"
  fi
  for n in "${notes[@]}"; do result "- $n"; done
  if [ "$failed" -gt 0 ]; then
    result "- failures by (HTTP status, curl exit code): $(awk '$1 != 200 {print "(" $1 ", " $2 ")"}' "$WORK/load-$variant.log" | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
  fi
  if [ "$gating" = yes ]; then
    check "requests sent $sent, answered $answered, failed $failed" [ "$failed" = 0 -a "$sent" -gt 0 ]
  else
    # SIGTERM at once races the balancer: the drain serves what the kernel had accepted, but a
    # connection accepted as the listener closes can still be reset (RELIABILITY.md, "Behind a
    # load balancer"); measured and shown, not a pass/fail check
    result "- MEASURED (not a pass/fail check): requests sent $sent, answered $answered, failed $failed"
    [ "$sent" -gt 0 ] || { result "- FAIL: no request was sent"; FAILED=1; }
  fi
  result
}

result "## Rolling restart under load (TCP mode, health check on /actuator/health/readiness, inter 500ms fall 1 rise 2)"
result
rolling_restart sigterm no
rolling_restart prestop yes

echo
if [ "$FAILED" = 0 ]; then log "PASSED (results in $RESULTS)"; else log "FAILED (results in $RESULTS)"; fi
exit "$FAILED"
