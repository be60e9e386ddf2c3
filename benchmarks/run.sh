#!/usr/bin/env bash
# Runs the HTTPS benchmark scenarios against httpsd and the servers a Spring user would pick
# instead, one server at a time on loopback, and writes benchmarks/results/<date>.md.
#
#   benchmarks/run.sh                      every server, every scenario (~18 min on 2 cores)
#   benchmarks/run.sh jetty httpsd-core    only these servers
#   benchmarks/run.sh --only a,c           only these scenarios (a b c d e f)
#   benchmarks/run.sh --quick              short warm-ups and runs: a smoke test, not a result
#
# Scenarios (see benchmarks/README.md): a keep-alive small responses, b full TLS handshakes,
# c 1 MiB responses, d idle TLS connections' memory, e startup, f httpsd's Spring event bridge.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/benchmarks
WORK=$BENCH/target/run
PORT=${BENCH_PORT:-18443}

QUICK=0
ONLY=abcdef
SELECTED=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --only) ONLY=${2//,/}; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) SELECTED+=("$1") ;;
  esac
  shift
done

# Each scenario warms up, then measures WINDOWS windows of RUN_* seconds and reports the median
# window: single 10 s runs moved by 10 % and more between otherwise identical runs here. The
# handshake warm-up is the long one because the JIT was still compiling JSSE's handshake code (a
# fifth of the server's CPU) 30 s into scenario b; c runs after a and b, whose load has already
# compiled the record layer, so a short warm-up does. The keep-alive warm-up is 25 s: with 15 s,
# the three windows still climbed (WebFlux 8.8k, 12.6k, 34.5k requests/s; Jetty 21.9k, 35.4k,
# 40.1k), so peers were measured before their JIT was done. The whole run stays under 20 minutes.
if [ $QUICK = 1 ]; then
  WARM_A=3; RUN_A=2; WARM_B=3; RUN_B=2; WARM_C=2; RUN_C=2; WINDOWS=1; IDLE=200
else
  WARM_A=25; RUN_A=5; WARM_B=40; RUN_B=5; WARM_C=5; RUN_C=5; WINDOWS=3; IDLE=2000
fi

ulimit -n 65536 2>/dev/null || true # scenario d holds thousands of connections

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
want() { [[ $ONLY == *$1* ]]; }

# ---- tools ---------------------------------------------------------------------------------
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v tshark >/dev/null || need+=(tshark)
command -v curl >/dev/null || need+=(curl)
command -v gcc >/dev/null || need+=(gcc)
[ -f /usr/include/openssl/ssl.h ] || need+=(libssl-dev)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

JDK=
for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*21*; do
  if [ -x "$candidate/bin/java" ]; then JDK=$candidate; break; fi
done
[ -n "$JDK" ] || { echo "no JDK >= 21 under /usr/lib/jvm" >&2; exit 1; }
JAVA=$JDK/bin/java
JCMD=$JDK/bin/jcmd
# The same flags for every server. The heap is touched up front so that RSS growth under load is
# the servers' own native memory, not pages of a heap they had reserved anyway; startup (e) runs
# without pre-touching, which would add the same fixed delay to every server.
JVM_FLAGS="-Xms1g -Xmx1g -XX:+UseParallelGC -XX:+AlwaysPreTouch"
STARTUP_FLAGS="-Xms1g -Xmx1g -XX:+UseParallelGC"

# ---- build ---------------------------------------------------------------------------------
mkdir -p "$WORK"
log "building httpsd and the benchmark servers"
(cd "$ROOT" && JAVA_HOME=$JDK mvn -q -B -pl benchmarks -am package dependency:build-classpath \
  -DskipTests -Dspotless.check.skip=true -Dmdep.outputFile="$WORK/benchmarks.classpath")
BENCH_CP="$BENCH/target/classes:$(cat "$WORK/benchmarks.classpath")"
log "building the peer servers"
(cd "$BENCH/peers" && JAVA_HOME=$JDK mvn -q -B package -DskipTests -Dspotless.check.skip=true)
peer_cp() { echo "$BENCH/peers/$1/target/classes:$(cat "$BENCH/peers/$1/target/classpath.txt")"; }
gcc -shared -fPIC -O2 -o "$WORK/noresume.so" "$BENCH/shim/noresume.c" -ldl -lssl

# ---- the certificate every server presents: EC P-256, localhost + 127.0.0.1 ---------------
CERT=$WORK/cert.pem KEY=$WORK/key.pem P12=$WORK/keystore.p12
if [ ! -f "$P12" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$KEY" -out "$CERT" 2>/dev/null
  openssl pkcs12 -export -in "$CERT" -inkey "$KEY" -name server -passout pass:changeit -out "$P12"
fi

# ---- servers: name | command (PORT is substituted) ------------------------------------------
# To add a server: one line here; it must serve GET /hello, GET /bytes?n=N, POST /echo over
# HTTPS on PORT with $CERT/$KEY or $P12 (password changeit).
declare -A SERVER
SERVER[httpsd-core]="$JAVA JVMFLAGS -cp $BENCH_CP dev.httpsd.benchmarks.CoreServer PORT $CERT $KEY"
SERVER[httpsd-starter]="$JAVA JVMFLAGS -cp $BENCH_CP dev.httpsd.benchmarks.starter.StarterServer --https-server.port-secure=PORT --https-server.ssl.certificate=$CERT --https-server.ssl.private-key=$KEY --logging.level.root=warn"
SERVER[httpsd-starter-events]="$JAVA JVMFLAGS -cp $BENCH_CP dev.httpsd.benchmarks.starter.StarterServer --spring.profiles.active=events --https-server.port-secure=PORT --https-server.ssl.certificate=$CERT --https-server.ssl.private-key=$KEY --https-server.publish-events=true --logging.level.root=warn"
SERVER[tomcat]="$JAVA JVMFLAGS -cp $(peer_cp tomcat) dev.httpsd.peers.tomcat.TomcatServer --server.port=PORT --server.ssl.certificate=$CERT --server.ssl.certificate-private-key=$KEY --logging.level.root=warn"
SERVER[webflux]="$JAVA JVMFLAGS -cp $(peer_cp webflux) dev.httpsd.peers.webflux.WebFluxServer --server.port=PORT --server.ssl.certificate=$CERT --server.ssl.certificate-private-key=$KEY --logging.level.root=warn"
SERVER[jetty]="$JAVA JVMFLAGS -cp $(peer_cp jetty) dev.httpsd.peers.jetty.JettyServer PORT $P12 changeit"
SERVER[helidon]="$JAVA JVMFLAGS -cp $(peer_cp helidon) dev.httpsd.peers.helidon.HelidonServer PORT $P12 changeit"
SERVER[jdk]="$JAVA JVMFLAGS -Dsun.net.httpserver.maxIdleConnections=4096 -cp $(peer_cp jdk) dev.httpsd.peers.jdk.JdkServer PORT $P12 changeit"
ORDER=(httpsd-core httpsd-starter tomcat webflux jetty helidon jdk httpsd-starter-events)
PEERS=(tomcat webflux jetty helidon jdk)
[ ${#SELECTED[@]} -gt 0 ] && ORDER=("${SELECTED[@]}")

SERVER_PID=
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
trap 'stop_server; pkill -f "dev.httpsd.benchmarks.IdleClient" 2>/dev/null || true' EXIT

# Starts a server (with FLAGS, default JVM_FLAGS) and waits for its first HTTPS response;
# STARTUP_MS holds how long that took.
start_server() {
  local name=$1 flags=${2:-$JVM_FLAGS} command
  if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then
    echo "port $PORT is busy: stop what uses it or set BENCH_PORT" >&2; exit 1
  fi
  local t0; t0=$(date +%s%N)
  command=${SERVER[$name]//PORT/$PORT}
  ${command//JVMFLAGS/$flags} >"$WORK/$name.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 6000); do
    if curl -sk --max-time 1 -o /dev/null "https://127.0.0.1:$PORT/hello"; then
      STARTUP_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
      return
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "$name died; see $WORK/$name.log" >&2; exit 1; }
    sleep 0.01
  done
  echo "$name did not answer within 60 s" >&2; exit 1
}

# Heap used after a full GC (KiB) and RSS (KiB) of the server.
heap_kib() {
  "$JCMD" "$SERVER_PID" GC.run >/dev/null
  "$JCMD" "$SERVER_PID" GC.heap_info | grep -oE '(PSYoungGen|ParOldGen) +total [0-9]+K, used [0-9]+K' \
    | grep -oE 'used [0-9]+' | awk '{s += $2} END {print s}'
}
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }

declare -A R
# Runs wrk WINDOWS times with the given arguments; prints the output of the median window by
# requests/s and leaves the requests/s of every window in $WORK/windows (it runs in a subshell).
median_window() {
  local outs=() rates=() i
  for i in $(seq 1 "$WINDOWS"); do
    outs[$i]=$("$@")
    rates[$i]=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"${outs[$i]}")
  done
  local median
  median=$(for i in $(seq 1 "$WINDOWS"); do echo "${rates[$i]} $i"; done | sort -n | awk -v n="$WINDOWS" 'NR == int((n + 1) / 2) {print $2}')
  echo "${rates[*]}" >"$WORK/windows"
  printf '%s\n' "${outs[$median]}"
}

run_a() {
  local name=$1 out
  wrk -t2 -c50 -d${WARM_A}s "https://127.0.0.1:$PORT/hello" >/dev/null
  out=$(median_window wrk -t2 -c50 -d${RUN_A}s --latency "https://127.0.0.1:$PORT/hello")
  R[$name,a]=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  R[$name,a50]=$(awk '$1 == "50%" {print $2}' <<<"$out")
  R[$name,a99]=$(awk '$1 == "99%" {print $2}' <<<"$out")
  R[$name,awin]=$(cat "$WORK/windows")
  log "  a: ${R[$name,a]} req/s, p50 ${R[$name,a50]}, p99 ${R[$name,a99]} (windows: $(cat "$WORK/windows"))"
}

run_b() {
  local name=$1 out hellos
  LD_PRELOAD=$WORK/noresume.so wrk -t2 -c16 -d${WARM_B}s -H 'Connection: close' "https://127.0.0.1:$PORT/hello" >/dev/null
  # verify: capture the ServerHellos of a slice of the measured run; count those accepting a PSK
  timeout 4 tshark -i lo -f "tcp port $PORT" -a duration:3 -Y 'tls.handshake.type == 2' \
    -T fields -e tls.handshake.extension.type \
    >"$WORK/$name.serverhellos" 2>/dev/null &
  local tshark_pid=$!
  out=$(median_window env LD_PRELOAD="$WORK/noresume.so" wrk -t2 -c16 -d${RUN_B}s -H 'Connection: close' "https://127.0.0.1:$PORT/hello")
  wait $tshark_pid 2>/dev/null || true
  R[$name,b]=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  R[$name,bwin]=$(cat "$WORK/windows")
  hellos=$(wc -l <"$WORK/$name.serverhellos")
  # extension 41 = pre_shared_key: present in a ServerHello only when the server resumed
  R[$name,bpsk]=$(grep -cE '(^|[,	])41(,|$)' "$WORK/$name.serverhellos" || true)
  R[$name,bhellos]=$hellos
  log "  b: ${R[$name,b]} handshakes/s (windows: $(cat "$WORK/windows"); resumed ${R[$name,bpsk]} of $hellos captured ServerHellos)"
}

run_c() {
  local name=$1 out rate
  wrk -t2 -c8 -d${WARM_C}s "https://127.0.0.1:$PORT/bytes?n=1048576" >/dev/null
  # 1 MiB per request: the median window by requests/s is the median by MiB/s
  out=$(median_window wrk -t2 -c8 -d${RUN_C}s "https://127.0.0.1:$PORT/bytes?n=1048576")
  rate=$(awk '/Transfer\/sec/ {print $2}' <<<"$out")
  R[$name,c]=$(awk -v r="$rate" 'BEGIN {
    v = r + 0; u = r; sub(/^[0-9.]+/, "", u)
    f = (u == "GB") ? 1024 : (u == "MB") ? 1 : (u == "KB") ? 1 / 1024 : 1 / 1048576
    printf "%.0f", v * f }')
  R[$name,cwin]=$(cat "$WORK/windows")
  log "  c: ${R[$name,c]} MiB/s (windows, requests/s: $(cat "$WORK/windows"))"
}

run_d() {
  local name=$1 h0 r0 h1 r1 client flag=$WORK/$name.idle-done
  rm -f "$flag"
  h0=$(heap_kib); r0=$(rss_kib)
  "$JAVA" -cp "$BENCH_CP" dev.httpsd.benchmarks.IdleClient "$PORT" "$IDLE" 300 "$flag" >"$WORK/$name.idle" 2>&1 &
  client=$!
  for _ in $(seq 1 1200); do grep -q '^open' "$WORK/$name.idle" && break; sleep 0.1; done
  grep -q '^open' "$WORK/$name.idle" || { echo "idle client failed: $(cat "$WORK/$name.idle")" >&2; exit 1; }
  h1=$(heap_kib); r1=$(rss_kib)
  # the figure only counts if the server still holds every connection: the client checks each
  touch "$flag"; wait $client 2>/dev/null || true
  R[$name,dalive]=$(awk '/^alive/ {print $2}' "$WORK/$name.idle")
  R[$name,d]=$(awk -v a="$h0" -v b="$h1" -v n="$IDLE" 'BEGIN {printf "%.1f", (b - a) / n}')
  R[$name,drss]=$(awk -v a="$r0" -v b="$r1" -v n="$IDLE" 'BEGIN {printf "%.1f", (b - a) / n}')
  log "  d: ${R[$name,d]} KiB heap, ${R[$name,drss]} KiB RSS per idle TLS connection (${R[$name,dalive]:-?} of $IDLE still open afterwards)"
}

run_e() {
  local name=$1 times=()
  for _ in 1 2 3; do
    start_server "$name" "$STARTUP_FLAGS"; stop_server; times+=("$STARTUP_MS")
  done
  R[$name,e]=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p | awk '{printf "%.2f", $1 / 1000}')
  log "  e: ${R[$name,e]} s to the first HTTPS response (median of ${times[*]} ms)"
}

# f: scenario a's load on the starter with an @EventListener for every event, switched off and
# on in one warm JVM (GET /listen?on=...), alternating windows; the medians are compared.
run_f() {
  local name=$1 i on off
  local -a with=() without=()
  curl -sk -o /dev/null "https://127.0.0.1:$PORT/listen?on=true"
  wrk -t2 -c50 -d${WARM_A}s "https://127.0.0.1:$PORT/hello" >/dev/null
  curl -sk -o /dev/null "https://127.0.0.1:$PORT/listen?on=false"
  wrk -t2 -c50 -d${WARM_A}s "https://127.0.0.1:$PORT/hello" >/dev/null
  for i in $(seq 1 $(( WINDOWS * 2 - 1 ))); do
    curl -sk -o /dev/null "https://127.0.0.1:$PORT/listen?on=false"
    without+=("$(wrk -t2 -c50 -d${RUN_A}s "https://127.0.0.1:$PORT/hello" | awk '/Requests\/sec/ {printf "%.0f", $2}')")
    curl -sk -o /dev/null "https://127.0.0.1:$PORT/listen?on=true"
    with+=("$(wrk -t2 -c50 -d${RUN_A}s "https://127.0.0.1:$PORT/hello" | awk '/Requests\/sec/ {printf "%.0f", $2}')")
  done
  median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
  on=$(median "${with[@]}"); off=$(median "${without[@]}")
  R[$name,fon]=$on; R[$name,foff]=$off
  R[$name,fwin]="without ${without[*]}; with ${with[*]}"
  log "  f: ${on} req/s with an @EventListener for every event, ${off} without (windows: ${R[$name,fwin]})"
}

for name in "${ORDER[@]}"; do
  [ -n "${SERVER[$name]:-}" ] || { echo "unknown server $name" >&2; exit 1; }
  log "$name"
  if [ "$name" = httpsd-starter-events ]; then
    want f || continue
    start_server "$name"; run_f "$name"; stop_server
    continue
  fi
  if want a || want b || want c || want d; then
    start_server "$name"
    want a && run_a "$name"
    want b && run_b "$name"
    want c && run_c "$name"
    want d && run_d "$name"
    stop_server
  fi
  want e && run_e "$name"
done

# ---- report --------------------------------------------------------------------------------
best() { # scenario, direction (max|min): the best peer value
  local s=$1 dir=$2 v best=
  for p in "${PEERS[@]}"; do
    v=${R[$p,$s]:-}; [ -n "$v" ] || continue
    if [ -z "$best" ] || awk -v v="$v" -v b="$best" -v d="$dir" 'BEGIN {exit !((d == "max") ? v > b : v < b)}'; then best=$v; fi
  done
  echo "$best"
}
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f×", a / b}' || echo "—"; }
cell() { echo "${R[$1,$2]:-—}"; }

# a quick run is a smoke test of the harness: its table stays out of results/
if [ $QUICK = 1 ]; then RESULT=$WORK/quick-$(date +%F).md; else RESULT=$BENCH/results/$(date +%F).md; fi
{
  echo "# httpsd benchmark results, $(date +%F)"
  echo
  [ $QUICK = 1 ] && echo "**Quick run (--quick): smoke-test durations, not a result.**" && echo
  echo "Machine: $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2}'), $(nproc) cores, kernel $(uname -r)."
  echo "JDK: $("$JAVA" -version 2>&1 | head -1). Load: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), $(openssl version)."
  echo "Server JVM flags: \`$JVM_FLAGS\` (startup: \`$STARTUP_FLAGS\`)."
  echo "One server at a time on loopback; the load generator shares the cores."
  echo
  echo "| Server | a: keep-alive req/s (p50 / p99) | b: full handshakes/s | c: 1 MiB responses MiB/s | d: heap KiB per idle TLS conn (RSS) | e: startup s |"
  echo "|---|--:|--:|--:|--:|--:|"
  for name in "${ORDER[@]}"; do
    [ "$name" = httpsd-starter-events ] && continue
    echo "| $name | $(cell "$name" a) ($(cell "$name" a50) / $(cell "$name" a99)) | $(cell "$name" b) | $(cell "$name" c) | $(cell "$name" d) ($(cell "$name" drss)) | $(cell "$name" e) |"
  done
  for ours in httpsd-core httpsd-starter; do
    [ -n "${R[$ours,a]:-}${R[$ours,b]:-}${R[$ours,c]:-}${R[$ours,d]:-}${R[$ours,e]:-}" ] || continue
    echo "| **$ours ÷ best peer** | $(ratio "${R[$ours,a]:-}" "$(best a max)") | $(ratio "${R[$ours,b]:-}" "$(best b max)") | $(ratio "${R[$ours,c]:-}" "$(best c max)") | $(ratio "${R[$ours,d]:-}" "$(best d min)") | $(ratio "${R[$ours,e]:-}" "$(best e min)") |"
  done
  echo
  echo "Targets (ratios to the best peer): a ≥ 1.2, b ≥ 1.1, c ≥ 1.1, d ≤ 1.0; e: starter ≤ 0.5 × Tomcat, core ≤ 1.0 × JDK."
  if [ -n "${R[httpsd-starter,e]:-}" ] && [ -n "${R[tomcat,e]:-}" ]; then
    echo "Startup: httpsd-starter ÷ tomcat = $(ratio "${R[httpsd-starter,e]}" "${R[tomcat,e]}")."
  fi
  if [ -n "${R[httpsd-core,e]:-}" ] && [ -n "${R[jdk,e]:-}" ]; then
    echo "Startup: httpsd-core ÷ jdk = $(ratio "${R[httpsd-core,e]}" "${R[jdk,e]}")."
  fi
  if [ -n "${R[httpsd-starter-events,fon]:-}" ]; then
    echo
    echo "f: event bridge — the starter under scenario a's load with an @EventListener for every server event:"
    echo "${R[httpsd-starter-events,fon]} req/s; the same JVM with that listener switched off: ${R[httpsd-starter-events,foff]} req/s;"
    echo "cost $(awk -v a="${R[httpsd-starter-events,fon]}" -v b="${R[httpsd-starter-events,foff]}" 'BEGIN {printf "%.1f%%", (1 - a / b) * 100}') (target ≤ 5%). Alternating windows (req/s): ${R[httpsd-starter-events,fwin]}."
  fi
  echo
  echo "Full-handshake check (b): ServerHellos captured with tshark during the run, and how many accepted a pre-shared key (resumption):"
  for name in "${ORDER[@]}"; do
    [ -n "${R[$name,bhellos]:-}" ] && echo "- $name: ${R[$name,bpsk]} resumed of ${R[$name,bhellos]}"
  done
  echo
  echo "Windows (requests/s of each measured window, in order; the table shows the median):"
  for name in "${ORDER[@]}"; do
    [ -n "${R[$name,awin]:-}${R[$name,bwin]:-}${R[$name,cwin]:-}" ] || continue
    echo "- $name: a ${R[$name,awin]:-—}; b ${R[$name,bwin]:-—}; c ${R[$name,cwin]:-—}"
  done
  echo
  echo "Idle-connection check (d): connections of $IDLE still open after the measurement (the client made one more request on each):"
  for name in "${ORDER[@]}"; do
    [ -n "${R[$name,dalive]:-}" ] && echo "- $name: ${R[$name,dalive]}"
  done
  echo
  echo "Commands (PORT=$PORT):"
  echo "- every scenario: a warm-up, then $WINDOWS measured windows; the table shows the median window (all windows are listed above)"
  echo "- a: \`wrk -t2 -c50 -d${WARM_A}s https://127.0.0.1:PORT/hello\` (warm-up), then \`wrk -t2 -c50 -d${RUN_A}s --latency https://127.0.0.1:PORT/hello\`"
  echo "- b: \`LD_PRELOAD=noresume.so wrk -t2 -c16 -d${WARM_B}s -H 'Connection: close' https://127.0.0.1:PORT/hello\` (warm-up), then -d${RUN_B}s windows; \`tshark -i lo -f 'tcp port PORT' -Y 'tls.handshake.type == 2'\` for 3 s"
  echo "- c: \`wrk -t2 -c8 -d${WARM_C}s 'https://127.0.0.1:PORT/bytes?n=1048576'\` (warm-up), then -d${RUN_C}s windows"
  echo "- d: \`jcmd PID GC.run\` + \`GC.heap_info\` and VmRSS before and after \`java dev.httpsd.benchmarks.IdleClient PORT $IDLE 300 FLAG\`; afterwards the client makes one more request on every connection"
  echo "- e: JVM launch to the first successful \`curl -k https://127.0.0.1:PORT/hello\`, median of 3"
  echo "- servers:"
  for name in "${ORDER[@]}"; do
    echo "  - $name: \`${SERVER[$name]//PORT/$PORT}\`" | sed -E "s|JVMFLAGS|$JVM_FLAGS|; s|-cp [^ ]+|-cp <module classpath>|; s|$ROOT/||g"
  done
} >"$RESULT"
cat "$RESULT"
log "written to $RESULT"
