#!/usr/bin/env bash
# Runs the HTTPS benchmark scenarios against httpsd and the servers a Spring user would pick
# instead, one server at a time on loopback, checks every row against the harness's validity
# rules, and writes benchmarks/results/<date>.md.
#
#   benchmarks/run.sh                      the default run: the headline rows of a-e, f, h and j
#                                          (~21 min + up to 2.2 of extensions; prints its estimate)
#   benchmarks/run.sh --extended           every server and scenario: adds g, i, the OpenSSL rows,
#                                          helidon, jdk beyond e, the *-aot rows of e (~45 min)
#   benchmarks/run.sh jetty httpsd-core    only these servers (any name from the table below)
#   benchmarks/run.sh --only a,c           only these scenarios (a b c d e f g h i j)
#   benchmarks/run.sh --smoke [servers]    every scenario for a second or two: checks the
#                                          harness, not the servers (default: httpsd-core jdk)
#   benchmarks/run.sh --selftest           breaks a server on purpose, once per validity rule,
#                                          and checks that the rule marks the row invalid
#   benchmarks/run.sh --no-build ...       reuse the previous build
#   benchmarks/run.sh --estimate ...       print how long the run would take, and run nothing
#   benchmarks/run.sh --idle-connections [N] [servers]   on demand, not in any run: N idle TLS
#                                          connections at once (default 100,000; httpsd-core webflux)
#
# Scenarios (benchmarks/README.md): a keep-alive small responses, b full TLS handshakes,
# c 1 MiB responses, d idle TLS connections' memory, e startup, f httpsd's Spring event bridge,
# g a JSON endpoint through each Spring stack's binding layer, h scenario a with Micrometer
# observation and tracing on (the starter, Tomcat, WebFlux), i memory and allocation under load
# (1,000 busy TLS connections), j HTTP/2 (h2load) on the servers that serve it; e's *-aot rows
# start with Spring AOT and a JDK AOT cache.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/benchmarks
WORK=$BENCH/target/run
PORT=${BENCH_PORT:-18443}
T_START=$(date +%s)
# the day the run started (UTC) names its results file, also when the run crosses midnight
RUN_DAY=$(date -u -d "@$T_START" +%F)

MODE=full
BUILD=1
EXTENDED=0
ESTIMATE_ONLY=0
ONLY=
SELECTED=()
IDLE_MODE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke|--quick) MODE=smoke ;;
    --selftest) MODE=selftest ;;
    --extended) EXTENDED=1 ;;
    --estimate) ESTIMATE_ONLY=1 ;;
    --no-build) BUILD=0 ;;
    --idle-connections) IDLE_MODE=1; IDLE_N=100000; if [[ ${2:-} =~ ^-?[0-9]+$ ]]; then IDLE_N=$2; shift; fi ;;
    --only) ONLY=${2//,/}; shift ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) SELECTED+=("$1") ;;
  esac
  shift
done

# ---- durations and rules -------------------------------------------------------------------
# Warm-ups follow what was measured here (shared/BENCHMARKING.md): with 15 s the keep-alive
# windows still climbed, and the handshake rate climbed for about 30 s while the JIT compiled
# JSSE's handshake code. A warm-up is a minimum, not a promise: the windows after it must agree
# within ±TOLERANCE %, or the warm-up is extended (see measure in lib/harness.sh).
TOLERANCE=5          # %: every measured window within this of every other
WINDOWS=3            # measured windows per row; the row's figure is their median
# The Spring stacks' rows of f, g and h get 10 s windows: on 2 cores their 5 s windows drifted
# by more than ±5 % even after four extensions (results/2026-12-06-f*.md: the observed starter
# and WebFlux, f's both series), while a 10 s window averages over their GC and JIT pauses.
# The rule stays ±5 %; only what one window averages over changes (benchmarks/README.md).
if [ "$MODE" = full ]; then
  WARM_A=25; WIN_A=5; WARM_B=30; WIN_B=5; WARM_C=5; WIN_C=5; VERIFY=2
  WIN_SPRING=${BENCH_WIN_SPRING:-10}; WARM_J=25; WIN_J=${BENCH_WIN_J:-5}
  MAX_EXTENSIONS=${BENCH_MAX_EXTENSIONS:-1}; IDLE=2000; STARTS=${BENCH_STARTS:-3}
else
  WARM_A=2; WIN_A=1; WARM_B=2; WIN_B=1; WARM_C=1; WIN_C=1; VERIFY=1
  WIN_SPRING=1; WARM_J=2; WIN_J=1
  MAX_EXTENSIONS=2; IDLE=200; STARTS=1
fi
# a run narrowed by --only or by naming servers is not the default run; its results file says so
PARTIAL=0
{ [ -n "$ONLY" ] || [ ${#SELECTED[@]} -gt 0 ]; } && PARTIAL=1
if [ -z "$ONLY" ]; then
  if [ $EXTENDED = 1 ] || [ "$MODE" != full ]; then ONLY=abcdefghij; else ONLY=abcdefhj; fi
fi
# Every row may extend its warm-up MAX_EXTENSIONS times, whatever its place in the run: a budget
# shared by the run was spent by its first rows and left the later ones (mostly the peers') none,
# so a row's validity depended on its place in the order (results/2026-12-06.md). One extension
# per row by default: with two, the default run took 27 min 4 s twice (results/2026-12-06-default-2.md,
# -default-3.md; 225 and 235 s of extensions), past the 25 minutes a run from a fresh clone must
# fit in (issue 21); BENCH_MAX_EXTENSIONS=2 gives every row a second chance when time allows.
EXTENSIONS_USED=0 # seconds, the whole run's, for the report
# Knobs for --selftest only; a normal run never changes them.
CLIENT_SUITES=${CLIENT_SUITES:-TLS_AES_128_GCM_SHA256}
SHIM=${SHIM:-on}
IDLE_HOLD=${IDLE_HOLD:-0}

ulimit -Sn 65536 2>/dev/null || true # scenario d holds thousands of connections (-S: the hard limit stays for --idle-connections)
declare -A R CMD ROLE SETTINGS EXPECT PROBE SUITE HEADERS ENGINE JSON_API
# shellcheck source=lib/harness.sh
. "$BENCH/lib/harness.sh"
# shellcheck source=lib/report.sh
. "$BENCH/lib/report.sh"
want() { [[ $ONLY == *$1* ]]; }

# ---- tools ---------------------------------------------------------------------------------
need=()
for tool in wrk tshark curl gcc openssl; do command -v $tool >/dev/null || need+=("$tool"); done
# h2load (scenario j) and nghttp (the SETTINGS a server announces) come in Debian's nghttp2-client
command -v h2load >/dev/null && command -v nghttp >/dev/null || need+=(nghttp2-client)
[ -f /usr/include/openssl/ssl.h ] || need+=(libssl-dev)
# libssl3: OpenSSL for Tomcat's FFM implementation (and the shim); Debian's, loaded by name
ldconfig -p | grep 'libssl.so.3 ' >/dev/null || need+=(libssl3) # not grep -q: under pipefail its early exit fails the pipe
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

JDK=
for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*2[2-9]*; do
  if [ -x "$candidate/bin/java" ]; then JDK=$candidate; break; fi
done
[ -n "$JDK" ] || { echo "no JDK >= 22 under /usr/lib/jvm (Tomcat's FFM OpenSSL needs 22+)" >&2; exit 1; }
JAVA=$JDK/bin/java
JCMD=$JDK/bin/jcmd
# The same flags for every server. The heap is touched up front so that RSS growth under load is
# the servers' own native memory, not pages of a heap they had reserved anyway; startup (e) runs
# without pre-touching, which would add the same fixed delay to every server.
JVM_FLAGS="-Xms1g -Xmx1g -XX:+UseParallelGC -XX:+AlwaysPreTouch"
STARTUP_FLAGS="-Xms1g -Xmx1g -XX:+UseParallelGC"

# ---- build: a broken benchmark server fails here, before anything is measured ---------------
mkdir -p "$WORK"
build() { # what, directory, maven arguments...
  local what=$1 dir=$2; shift 2
  log "building $what"
  if ! (cd "$dir" && JAVA_HOME=$JDK mvn -B -q "$@" >"$WORK/build-$what.log" 2>&1); then
    echo "BUILD FAILED: $what (mvn $* in ${dir#"$ROOT"/}); the end of its log:" >&2
    grep -E 'ERROR|FAIL' "$WORK/build-$what.log" | head -20 >&2
    exit 1
  fi
}
# Called once the run has printed what it will do (see the end of this script).
build_all() {
  if [ $BUILD = 1 ]; then
    # Spring's AOT processing (12-15 s of the build here) only for a run with an AOT row
    local aot_skip=true name
    for name in "${ORDER[@]}"; do [ -z "${AOT_ROW[$name]:-}" ] || aot_skip=false; done
    build benchmarks "$ROOT" -pl benchmarks -am package dependency:build-classpath -DskipTests \
      -Dspotless.check.skip=true -Dmdep.outputFile="$WORK/benchmarks.classpath" -Dspring-boot.aot.skip=$aot_skip
    # the core's own runtime class path (the core jar, Bouncy Castle, and Netty for the OpenSSL
    # engine): CoreServer runs on what a user of the core has, not on the starter's Spring jars
    build core "$ROOT" -pl https-server-core dependency:build-classpath -DincludeScope=runtime \
      -Dmdep.outputFile="$WORK/core.classpath"
    # the starter's server again, on a class path with Actuator and tracing (scenario h)
    build observed "$ROOT" -pl benchmarks/observed -am package -DskipTests -Dspotless.check.skip=true \
      -Dspring-boot.aot.skip=$aot_skip
    build peers "$BENCH/peers" package -DskipTests -Dspotless.check.skip=true
    TOMCAT_VERSION=$(tr ':' '\n' <"$BENCH/peers/tomcat/target/classpath.txt" | sed -nE 's|.*/tomcat-embed-core-([0-9.]+)\.jar$|\1|p')
    # Tomcat's OpenSSL-through-FFM classes ship in their own jar, tomcat-coyote-ffm, of the same
    # version as tomcat-embed-core. Not every Maven repository serves it: without it the row says so.
    # (asked for only when the run has that row: the attempt costs a Maven start, ~5 s)
    rm -f "$WORK"/tomcat-coyote-ffm-*.jar
    if [[ " ${ORDER[*]} " == *" tomcat-openssl "* ]]; then
      (cd "$BENCH/peers" && JAVA_HOME=$JDK mvn -B -q dependency:copy \
        -Dartifact="org.apache.tomcat:tomcat-coyote-ffm:$TOMCAT_VERSION" -DoutputDirectory="$WORK" \
        >"$WORK/build-tomcat-ffm.log" 2>&1) || log "tomcat-coyote-ffm:$TOMCAT_VERSION is not available from the Maven repository: no tomcat-openssl row"
    fi
  fi
  [ -n "${TOMCAT_VERSION:-}" ] || TOMCAT_VERSION=$( (tr ":" "\n" <"$BENCH/peers/tomcat/target/classpath.txt" | sed -nE "s|.*/tomcat-embed-core-([0-9.]+)\\.jar$|\\1|p") 2>/dev/null || true)
  [ -f "$WORK/benchmarks.classpath" ] && [ -f "$WORK/core.classpath" ] || { echo "nothing built yet: run without --no-build" >&2; exit 1; }
  BENCH_CP="$BENCH/target/classes:$(cat "$WORK/benchmarks.classpath")"
  compgen -G "$WORK/tomcat-coyote-ffm-*.jar" >/dev/null || UNAVAILABLE[tomcat-openssl]="not available: the Maven repository serves no org.apache.tomcat:tomcat-coyote-ffm:${TOMCAT_VERSION:-?} (Tomcat's FFM OpenSSL classes)"
}
core_jar() { ls "$ROOT"/https-server-core/target/https-server-core-*.jar | grep -v -e -sources -e -javadoc -e -tests | head -1; }
classpath_of() {
  case $1 in
    benchmarks) echo "$BENCH_CP" ;;
    # CoreServer's rows: the benchmark classes (CoreServer, TlsEngineReport), the core jar and its
    # runtime dependencies; Netty (optional, the OpenSSL engine's) only on the openssl row. On the
    # benchmarks' class path every service look-up of the JVM (System.Logger's, the core's
    # protocols) opened 50 jars of the starter and Spring: ~35 ms of CPU at startup (scenario e)
    core) echo "$BENCH/target/classes:$(core_jar):$(tr ':' '\n' <"$WORK/core.classpath" | grep -v '/io/netty/' | paste -sd:)" ;;
    core-openssl) echo "$BENCH/target/classes:$(core_jar):$(cat "$WORK/core.classpath")" ;;
    observed) cat "$BENCH/observed/target/classpath.txt" ;;
    tomcat-ffm) echo "$(classpath_of tomcat):$(ls "$WORK"/tomcat-coyote-ffm-*.jar 2>/dev/null | head -1)" ;;
    # X-jar: X's own classes as the jar Maven packaged, not a directory (an AOT cache archives
    # classes from jars only); the rows of scenario e's AOT cache use it
    benchmarks-jar) echo "$(ls "$BENCH"/target/benchmarks-*.jar | grep -v sources | head -1):$(cat "$WORK/benchmarks.classpath")" ;;
    *-jar) echo "$(ls "$BENCH/peers/${1%-jar}/target/"peer-*.jar | head -1):$(cat "$BENCH/peers/${1%-jar}/target/classpath.txt")" ;;
    *) echo "$BENCH/peers/$1/target/classes:$(cat "$BENCH/peers/$1/target/classpath.txt")" ;;
  esac
}
gcc -shared -fPIC -O2 -o "$WORK/noresume.so" "$BENCH/shim/noresume.c" -ldl -lssl
gcc -shared -fPIC -O2 -o "$WORK/tls13only.so" "$BENCH/shim/tls13only.c" -ldl -lssl

# The client's TLS offer (wrk, curl, openssl s_client): TLS 1.3 only, one suite. Left to their
# defaults, httpsd and Reactor Netty chose AES-128-GCM and Tomcat, Jetty, Helidon and the JDK
# server AES-256-GCM. Servers never see this file (start_server unsets OPENSSL_CONF for them);
# IdleClient (JSSE) pins the same suite itself.
CLIENT_CONF=$WORK/client-openssl.cnf
cat >"$CLIENT_CONF" <<EOF
openssl_conf = bench_client
[bench_client]
ssl_conf = bench_ssl
[bench_ssl]
system_default = bench_tls
[bench_tls]
MinProtocol = TLSv1.3
Ciphersuites = $CLIENT_SUITES
EOF

# ---- the certificate every server presents: EC P-256, localhost + 127.0.0.1 ---------------
CERT=$WORK/cert.pem KEY=$WORK/key.pem P12=$WORK/keystore.p12
if [ ! -f "$P12" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$KEY" -out "$CERT" 2>/dev/null
  openssl pkcs12 -export -in "$CERT" -inkey "$KEY" -name server -passout pass:changeit -out "$P12"
fi

# ---- servers -------------------------------------------------------------------------------
# server NAME ROLE COMMAND SETTINGS [EXPECT] [PROBE]
#   ROLE: ours | peer (a headline row: the best peer's figure is the target) | peer-openssl (an
#   extra row) | events (scenario f only) | ours-observed / peer-observed (scenario h only) |
#   check (the self-test's deliberately broken server).
#   COMMAND: a template (see render_command); it must serve GET /hello, GET /bytes?n=N and
#   POST /echo over HTTPS on @PORT@ with @CERT@/@KEY@ or @P12@ (password changeit).
#   SETTINGS: every setting that is not the server's default, and why; listed in the results.
#   EXPECT: a regex the server's reported TLS engine must match (else every row is invalid).
#   PROBE: a path whose response names the TLS engine, for servers that print no tls-engine line.
server() { CMD[$1]=$3; ROLE[$1]=$2; SETTINGS[$1]=$4; EXPECT[$1]=${5:-}; PROBE[$1]=${6:-}; }
SPRING="--logging.level.root=warn --spring.main.banner-mode=off"
TOMCAT_ARGS="--server.port=@PORT@ --server.ssl.certificate=@CERT@ --server.ssl.certificate-private-key=@KEY@ --server.tomcat.max-keep-alive-requests=-1 --server.tomcat.accept-count=1024 $SPRING"
WEBFLUX_ARGS="--server.port=@PORT@ --server.ssl.certificate=@CERT@ --server.ssl.certificate-private-key=@KEY@ $SPRING"

server httpsd-core ours "@JAVA@ @JVMFLAGS@ -cp @CP:core@ dev.httpsd.benchmarks.CoreServer @PORT@ @CERT@ @KEY@" \
  "httpsd's core API with its defaults: TCP_NODELAY on, no limit on requests per connection, JSSE with server-side session state (stateful resumption); /bytes sends a slice of a shared array" \
  "JDK engine, JSSE"
server httpsd-starter ours "@JAVA@ @JVMFLAGS@ -cp @CP:benchmarks@ dev.httpsd.benchmarks.starter.StarterServer --https-server.port-secure=@PORT@ --https-server.ssl.certificate=@CERT@ --https-server.ssl.private-key=@KEY@ $SPRING" \
  "the Spring Boot starter with its defaults (events published, no listener), @UriMapping handlers; as httpsd-core otherwise" \
  "JDK engine, JSSE"
# httpsd on its optional OpenSSL engine (issue 21 item 3): the same servers, one switch each.
# CoreServer and StarterServer print a "tls-engine: ..." line read from the running server.
server httpsd-core-openssl ours "@JAVA@ @JVMFLAGS@ --enable-native-access=ALL-UNNAMED -Dhttpsd.engine=openssl -cp @CP:core-openssl@ dev.httpsd.benchmarks.CoreServer @PORT@ @CERT@ @KEY@" \
  "httpsd-core on its optional OpenSSL engine (-Dhttpsd.engine=openssl): BoringSSL from netty-tcnative-boringssl-static through Netty's OpenSSL SSLEngine, driven by httpsd's own TLS channel (no Netty channels or event loops); stateless session tickets under BoringSSL's own rotating keys; --enable-native-access for tcnative's JNI; as httpsd-core otherwise" \
  "OpenSSL engine, BoringSSL"
server httpsd-starter-openssl ours "@JAVA@ @JVMFLAGS@ --enable-native-access=ALL-UNNAMED -cp @CP:benchmarks@ dev.httpsd.benchmarks.starter.StarterServer --https-server.port-secure=@PORT@ --https-server.ssl.certificate=@CERT@ --https-server.ssl.private-key=@KEY@ --https-server.ssl.engine=openssl $SPRING" \
  "httpsd-starter on the OpenSSL engine (https-server.ssl.engine=openssl), as httpsd-core-openssl; --enable-native-access for tcnative's JNI" \
  "OpenSSL engine, BoringSSL"
server tomcat peer "@JAVA@ @JVMFLAGS@ -cp @CP:tomcat@ dev.httpsd.peers.tomcat.TomcatServer $TOMCAT_ARGS" \
  "Spring Boot 4.0.7 MVC on Tomcat 11, JSSE; server.tomcat.max-keep-alive-requests=-1 (unlimited; Spring Boot's default 100 reconnects every 100th request); accept-count 1024 like the others' backlog; TCP_NODELAY on (Tomcat's default, set explicitly); /bytes writes a slice of a shared array to the response stream; 200 platform threads (default)" \
  "JSSE"
server webflux peer "@JAVA@ @JVMFLAGS@ -cp @CP:webflux@ dev.httpsd.peers.webflux.WebFluxServer $WEBFLUX_ARGS" \
  "Spring Boot 4.0.7 WebFlux on Reactor Netty, functional routes, JSSE (no netty-tcnative on the class path); TCP_NODELAY on (Reactor Netty's default, set explicitly); /bytes wraps a slice of a shared array; unlimited requests per connection (default)" \
  "sun\.security\.ssl" /tls
server jetty peer "@JAVA@ @JVMFLAGS@ -cp @CP:jetty@ dev.httpsd.peers.jetty.JettyServer @PORT@ @P12@ changeit" \
  "Jetty 12.1 with a plain core Handler (no servlets), JSSE; acceptedTcpNoDelay on (Jetty's default, set explicitly); accept queue 1024; SNI host check off (clients connect to 127.0.0.1 with a localhost certificate); /bytes writes a slice of a shared array; unlimited requests per connection (default)" \
  "JSSE"
server helidon peer "@JAVA@ @JVMFLAGS@ -cp @CP:helidon@ dev.httpsd.peers.helidon.HelidonServer @PORT@ @P12@ changeit" \
  "Helidon 4.5 SE, JSSE; TCP_NODELAY on (Helidon's default is off: 374 instead of 1,484 handshakes/s here); backlog 1024; /bytes streams a slice of a shared array with a Content-Length (send(byte[]) would copy it); unlimited requests per connection (default)" \
  "JSSE"
server jdk peer "@JAVA@ @JVMFLAGS@ -Dsun.net.httpserver.nodelay=true -Dsun.net.httpserver.maxIdleConnections=4096 -cp @CP:jdk@ dev.httpsd.peers.jdk.JdkServer @PORT@ @P12@ changeit" \
  "the JDK's HttpsServer on virtual threads, JSSE; sun.net.httpserver.nodelay=true (default false: 40 ms delayed-ACK stalls); maxIdleConnections=4096 (default 200, fewer than scenario d holds); the handler answers Connection: close when asked (the server closes without saying so, and wrk counted a read error per request); /bytes writes a slice of a shared array" \
  "JSSE"
server webflux-openssl peer-openssl "@JAVA@ @JVMFLAGS@ -cp @CP:webflux-openssl@ dev.httpsd.peers.webflux.WebFluxServer --server.port=@PORT@ --server.ssl.bundle=openssl-cached --peer.openssl.certificate=@CERT@ --peer.openssl.private-key=@KEY@ $SPRING" \
  "the webflux peer with netty-tcnative-boringssl-static on the class path, so Netty's OpenSSL provider (BoringSSL) serves TLS; the key managers wrapped in Netty's OpenSslCachingX509KeyManagerFactory (an SSL bundle given to server.ssl.bundle), which Netty recommends so that the key is not converted for every handshake" \
  "OpenSslEngine" /tls
server tomcat-openssl peer-openssl "@JAVA@ @JVMFLAGS@ --enable-native-access=ALL-UNNAMED -cp @CP:tomcat-ffm@ dev.httpsd.peers.tomcat.TomcatServer $TOMCAT_ARGS --peer.tls-engine=openssl" \
  "the tomcat peer with Tomcat's OpenSSL implementation through FFM (org.apache.tomcat.util.net.openssl.panama.OpenSSLImplementation from tomcat-coyote-ffm, OpenSSLLifecycleListener on the Server, JDK 22+, Debian's libssl3); --enable-native-access for FFM" \
  "openssl\.panama"
server httpsd-starter-events events "@JAVA@ @JVMFLAGS@ -cp @CP:benchmarks@ dev.httpsd.benchmarks.starter.StarterServer --spring.profiles.active=events --https-server.port-secure=@PORT@ --https-server.ssl.certificate=@CERT@ --https-server.ssl.private-key=@KEY@ --https-server.publish-events=true $SPRING" \
  "httpsd-starter with an @EventListener for every server event that GET /listen switches off and on (scenario f only)"
# Scenario h: the same servers with Spring Boot's observation on, each with Actuator, the
# Prometheus registry and Micrometer Tracing's OpenTelemetry bridge on its class path, and every
# setting at Boot's default (sampling probability 0.1, no span exporter, Prometheus not scraped).
OBSERVED="Actuator, micrometer-registry-prometheus, micrometer-tracing-bridge-otel and spring-boot-micrometer-tracing-opentelemetry on the class path, so Spring Boot observes every request as http.server.requests (a timer) and traces it (sampling at Boot's default 0.1, no exporter); nothing else changed"
server httpsd-starter-observed ours-observed "@JAVA@ @JVMFLAGS@ -cp @CP:observed@ dev.httpsd.benchmarks.starter.StarterServer --https-server.port-secure=@PORT@ --https-server.ssl.certificate=@CERT@ --https-server.ssl.private-key=@KEY@ $SPRING" \
  "httpsd-starter with $OBSERVED"
server tomcat-observed peer-observed "@JAVA@ @JVMFLAGS@ -cp @CP:tomcat-observed@ dev.httpsd.peers.tomcat.TomcatServer $TOMCAT_ARGS" \
  "tomcat with $OBSERVED" "JSSE"
server webflux-observed peer-observed "@JAVA@ @JVMFLAGS@ -cp @CP:webflux-observed@ dev.httpsd.peers.webflux.WebFluxServer $WEBFLUX_ARGS" \
  "webflux with $OBSERVED" "sun\.security\.ssl" /tls
# Scenario j: HTTP/2 over TLS (ALPN h2), each server with the switch that turns it on and its
# HTTP/2 settings at their defaults; the SETTINGS frame each one announces is recorded per row
# (nghttp -nv), so the results show what the clients were allowed, not what we believe.
server httpsd-core-h2 ours-h2 "@JAVA@ @JVMFLAGS@ -Dhttpsd.http2=true -cp @CP:core@ dev.httpsd.benchmarks.CoreServer @PORT@ @CERT@ @KEY@" \
  "httpsd-core with HTTP/2 on (-Dhttpsd.http2=true: Http2Config.DEFAULTS enabled, ALPN offers h2 before http/1.1) at the core's default limits: 100 concurrent streams, initial stream window 65,535, max frame 16,384, header list 16,384; as httpsd-core otherwise" \
  "JDK engine, JSSE"
server httpsd-starter-h2 ours-h2 "@JAVA@ @JVMFLAGS@ -cp @CP:benchmarks@ dev.httpsd.benchmarks.starter.StarterServer --https-server.port-secure=@PORT@ --https-server.ssl.certificate=@CERT@ --https-server.ssl.private-key=@KEY@ --https-server.http2.enabled=true $SPRING" \
  "httpsd-starter with https-server.http2.enabled=true (ALPN offers h2 before http/1.1), https-server.http2.* limits at their defaults (as httpsd-core-h2); as httpsd-starter otherwise" \
  "JDK engine, JSSE"
server jetty-h2 peer-h2 "@JAVA@ @JVMFLAGS@ -cp @CP:jetty@ dev.httpsd.peers.jetty.JettyServer @PORT@ @P12@ changeit h2" \
  "the jetty peer (Jetty at Spring Boot 4.0.7's managed version) with Jetty's HTTP/2 server module as its documentation sets it up: SslConnectionFactory -> ALPNServerConnectionFactory (jetty-alpn-java-server, the JDK's ALPN) offering h2 then http/1.1, HTTP2ServerConnectionFactory at its defaults, HTTP2Cipher.COMPARATOR on the SslContextFactory (orders TLS 1.2 suites HTTP/2 forbids last; TLS 1.3 unaffected)" \
  "JSSE.*h2"
server webflux-h2 peer-h2 "@JAVA@ @JVMFLAGS@ -cp @CP:webflux@ dev.httpsd.peers.webflux.WebFluxServer $WEBFLUX_ARGS --server.http2.enabled=true" \
  "the webflux peer with server.http2.enabled=true: Spring Boot configures Reactor Netty with HttpProtocol.H2 and HTTP11 over TLS (ALPN), Reactor Netty's default HTTP/2 settings; its SSLEngine is Netty's JdkAlpnSslEngine, a wrapper around JSSE's for ALPN" \
  "JdkAlpnSslEngine|sun\.security\.ssl" /tls
server tomcat-h2 peer-h2 "@JAVA@ @JVMFLAGS@ -cp @CP:tomcat@ dev.httpsd.peers.tomcat.TomcatServer $TOMCAT_ARGS --server.http2.enabled=true" \
  "the tomcat peer with server.http2.enabled=true: Spring Boot adds Tomcat's Http2Protocol to the connector as its upgrade protocol (ALPN h2 over TLS), Tomcat's default HTTP/2 settings" \
  "JSSE"
# Optional rows, not in the default run: the peers that leave Nagle's algorithm on by default,
# measured that way (BENCHMARKING.md asks for both), and WebFlux with tcnative but without the
# caching key manager (what adding the dependency alone gives).
server jdk-nagle peer-variant "@JAVA@ @JVMFLAGS@ -Dsun.net.httpserver.maxIdleConnections=4096 -cp @CP:jdk@ dev.httpsd.peers.jdk.JdkServer @PORT@ @P12@ changeit" \
  "the jdk peer with sun.net.httpserver.nodelay at its default (false)" "JSSE"
server helidon-nagle peer-variant "@JAVA@ @JVMFLAGS@ -cp @CP:helidon@ dev.httpsd.peers.helidon.HelidonServer @PORT@ @P12@ changeit nodelay=false" \
  "the helidon peer with TCP_NODELAY at Helidon's default (off)" "JSSE"
server webflux-openssl-uncached peer-variant "@JAVA@ @JVMFLAGS@ -cp @CP:webflux-openssl@ dev.httpsd.peers.webflux.WebFluxServer $WEBFLUX_ARGS" \
  "the webflux-openssl peer configured with server.ssl.certificate/private-key alone: Netty converts the key for every handshake" \
  "OpenSslEngine" /tls
# The self-test's server (--selftest), a plain JSSE server with faults on demand.
FAULTY="@JAVA@ @JVMFLAGS@ -cp @CP:benchmarks@ dev.httpsd.benchmarks.FaultyServer @PORT@ @P12@ changeit"
server faulty check "$FAULTY" "no fault: the self-test's control"
server faulty-500 check "$FAULTY fail-every=50" "answers every 50th request with 500"
server faulty-reset check "$FAULTY reset-every=50" "resets the connection instead of answering every 50th request"
server faulty-idle check "$FAULTY idle-close=2" "closes connections idle for 2 s"
server faulty-swing check "$FAULTY slow-period=1" "every other second, each response waits 2 ms"
server faulty-aes256 check "$FAULTY prefer=TLS_AES_256_GCM_SHA384" "prefers TLS_AES_256_GCM_SHA384"
server faulty-claims-openssl check "$FAULTY" "a JSSE server that a row claims to be OpenSSL" "OpenSsl"
server faulty-keeps-alive check "$FAULTY ignore-close=true" "keeps connections open despite Connection: close"
server faulty-broken check "$FAULTY no-such-argument" "exits at startup"

# ---- scenario e with an AOT cache (issue 21 item 7), and scenario i's self-test servers ------
# Startup as a deployment option: JDK 25's AOT cache (JEP 483/514/515: the classes loaded and
# linked, and method profiles, of a training run) and, for the Spring servers, Spring's AOT
# processing (the bean definitions generated at build time by spring-boot-maven-plugin's
# process-aot, used with -Dspring.aot.enabled=true). Before its measured launches, run_e trains
# each row once: the row's command with -XX:AOTCacheOutput, a few full handshakes and a moment of
# keep-alive load, then SIGTERM; the JVM writes the cache as it exits. The measured launches run
# with -XX:AOTCache and -XX:AOTMode=on, so a cache the JVM cannot use fails the start (and the row)
# instead of being skipped with a warning. Scenario e only.
declare -A AOT_ROW SCENARIOS_OF
AOT_SETTINGS="trained once before the measured launches (the row's command with -XX:AOTCacheOutput=NAME.aot; 20 full handshakes and 2 s of keep-alive load; SIGTERM), measured with -XX:AOTCache=NAME.aot -XX:AOTMode=on; class path of jars (an AOT cache archives classes from jars only)"
server httpsd-starter-aot ours "@JAVA@ @JVMFLAGS@ -Dspring.aot.enabled=true -cp @CP:benchmarks-jar@ dev.httpsd.benchmarks.starter.StarterServer --https-server.port-secure=@PORT@ --https-server.ssl.certificate=@CERT@ --https-server.ssl.private-key=@KEY@ $SPRING" \
  "httpsd-starter with Spring's AOT processing (-Dspring.aot.enabled=true) and JDK 25's AOT cache: $AOT_SETTINGS"
server httpsd-core-aot ours "@JAVA@ @JVMFLAGS@ -cp @CP:benchmarks-jar@ dev.httpsd.benchmarks.CoreServer @PORT@ @CERT@ @KEY@" \
  "httpsd-core with JDK 25's AOT cache: $AOT_SETTINGS"
server tomcat-aot peer-variant "@JAVA@ @JVMFLAGS@ -Dspring.aot.enabled=true -cp @CP:tomcat-jar@ dev.httpsd.peers.tomcat.TomcatServer $TOMCAT_ARGS" \
  "the tomcat peer with the same treatment as httpsd-starter-aot: Spring's AOT processing (process-aot in peers/tomcat) and JDK 25's AOT cache: $AOT_SETTINGS"
server jdk-aot peer-variant "@JAVA@ @JVMFLAGS@ -Dsun.net.httpserver.nodelay=true -Dsun.net.httpserver.maxIdleConnections=4096 -cp @CP:jdk-jar@ dev.httpsd.peers.jdk.JdkServer @PORT@ @P12@ changeit" \
  "the jdk peer with the same treatment as httpsd-core-aot, JDK 25's AOT cache: $AOT_SETTINGS"
for name in httpsd-starter-aot httpsd-core-aot tomcat-aot jdk-aot; do AOT_ROW[$name]=1; SCENARIOS_OF[$name]=e; done
STARTUP_ORDER=(httpsd-starter-aot httpsd-core-aot tomcat-aot jdk-aot)
# the self-test's: an AOT row whose class path holds a directory, from which the JVM archives nothing
server faulty-aot check "$FAULTY" "an AOT row on a class path with a directory: training writes no cache"
AOT_ROW[faulty-aot]=1; SCENARIOS_OF[faulty-aot]=e
# and scenario i's (below): faults after the smoke load's 100 opening requests, under the load
server faulty-i-500 check "$FAULTY fail-every=400" "answers every 400th request with 500"
server faulty-i-reset check "$FAULTY reset-every=400" "resets the connection instead of answering every 400th request"
# ---- end of scenario e's AOT rows ------------------------------------------------------------

# The servers that serve scenario g's GET /api/greetings/{name} through a Spring binding layer:
# the starter's @GetUri method, a Spring MVC and a WebFlux @RestController (and their OpenSSL rows).
for name in httpsd-starter tomcat webflux webflux-openssl tomcat-openssl webflux-openssl-uncached; do JSON_API[$name]=1; done

# Rows that cannot run on this machine, and why (instead of failing at startup).
declare -A UNAVAILABLE # (tomcat-openssl's is set by build_all, from what the build could fetch)

# The default run is what fits in 25 minutes on 2 cores (its estimate is printed at the start):
# the headline rows of a-e (httpsd, the two Spring stacks, Jetty; the JDK server for e only, as
# the yardstick of httpsd-core's startup target), f, h and j. --extended adds helidon, the JDK
# server's a-d, the OpenSSL rows, the *-aot rows of e, and scenarios g and i.
# (httpsd-starter-h2, tomcat-h2 and tomcat-observed wait for --extended: with them the default
# run passed 25 minutes, 25 min 45 s and 25 min 31 s from fresh clones on 2026-12-06. Tomcat's h2
# row was a third of the other peers' in every run, 22.6-27.2k req/s against 58-78k; Tomcat's
# observed row was below WebFlux's in six of the seven runs of h, 1 % above it in the seventh.)
H2_ORDER=(httpsd-core-h2 httpsd-starter-h2 jetty-h2 webflux-h2 tomcat-h2)
DEFAULT_ORDER=(httpsd-core httpsd-starter tomcat webflux jetty jdk httpsd-starter-events
  httpsd-starter-observed webflux-observed httpsd-core-h2 jetty-h2 webflux-h2)
EXTENDED_ORDER=(httpsd-core httpsd-starter httpsd-core-openssl tomcat webflux jetty helidon jdk webflux-openssl tomcat-openssl
  httpsd-starter-events httpsd-starter-observed tomcat-observed webflux-observed "${H2_ORDER[@]}" "${STARTUP_ORDER[@]}")
if [ ${#SELECTED[@]} -gt 0 ]; then ORDER=("${SELECTED[@]}")
elif [ $EXTENDED = 1 ]; then ORDER=("${EXTENDED_ORDER[@]}")
elif [ "$MODE" = smoke ]; then ORDER=(httpsd-core jdk)
else ORDER=("${DEFAULT_ORDER[@]}"); SCENARIOS_OF[jdk]=e; fi
for name in "${ORDER[@]}"; do
  [ -n "${CMD[$name]:-}" ] || { echo "unknown server $name (known: ${!CMD[*]})" >&2; exit 2; }
done

trap 'stop_server; [ -n "${IDLE_PID:-}" ] && kill "$IDLE_PID" 2>/dev/null; true' EXIT

# ---- scenarios -----------------------------------------------------------------------------
# A scenario is a function run_<letter> NAME plus four entries: its title, how its figure
# compares (max or min: which is better), KIND (shared: runs on the server process started for
# the row, after the scenarios before it; first: on that process too, but before any other
# scenario, while it is as fresh as a server started for it alone, without a start of its own;
# fresh: its own newly started process; own: starts and stops servers itself) and COLUMN (how the
# summary shows it). Add one by writing run_i and
# appending j to SCENARIOS.
SCENARIOS=(a b c d e f g h i j)
declare -A TITLE BETTER KIND
TITLE[a]="a: keep-alive req/s (p50 / p99)"; BETTER[a]=max; KIND[a]=shared
TITLE[b]="b: full handshakes/s"; BETTER[b]=max; KIND[b]=shared
TITLE[c]="c: 1 MiB responses MiB/s"; BETTER[c]=max; KIND[c]=shared
TITLE[d]="d: heap KiB per idle TLS conn (RSS)"; BETTER[d]=min; KIND[d]=first
TITLE[e]="e: startup s"; BETTER[e]=min; KIND[e]=own
TITLE[f]="f: event bridge"; BETTER[f]=; KIND[f]=shared
TITLE[g]="g: JSON req/s (p50 / p99)"; BETTER[g]=max; KIND[g]=shared
TITLE[h]="h: a with observation on, req/s (p50 / p99)"; BETTER[h]=max; KIND[h]=shared
TITLE[j]="j: HTTP/2 req/s, h2load -c50 -m10 (mean request time)"; BETTER[j]=max; KIND[j]=shared
applies() { # scenario name: f is the events server's only scenario, h the observed servers' only
  # one, j the HTTP/2 servers' only one (and the self-test's, which checks that a server without
  # h2 fails it); g needs a JSON API
  case ${ROLE[$2]} in
    events) [ "$1" = f ]; return ;;
    ours-observed | peer-observed) [ "$1" = h ]; return ;;
    ours-h2 | peer-h2) [ "$1" = j ]; return ;;
  esac
  case $1 in
    f | h) false ;;
    j) [ "${ROLE[$2]}" = check ] ;;
    g) [ -n "${JSON_API[$2]:-}" ] ;;
    *) true ;;
  esac
}
URL="https://127.0.0.1:$PORT"
# The verification window (verify in lib/harness.sh) is the warm-up's last VERIFY seconds: the same
# load, captured and checked, before the measured windows. It used to follow them, 2 s of load per
# row that counted for nothing (the tshark start and the capture's reading cost the same either
# way); as the warm-up's end it keeps the rows' load time and the default run inside 25 minutes.
warm_s() { local w=$(($1 - VERIFY)); [ "$w" -ge 1 ] || w=1; echo "$w"; }
SHIM_ENV=(env "LD_PRELOAD=$WORK/noresume.so")
[ "$SHIM" = on ] || SHIM_ENV=(env)

# a: small responses on 50 kept-alive connections.
run_a() { keepalive "$1" a "$WIN_A"; }

# h: a's load and rules on servers with Spring Boot's observation and tracing on, in Spring's
# longer windows.
run_h() { keepalive "$1" h "$WIN_SPRING"; }

keepalive() { # name scenario window-seconds
  local name=$1 s=$2 window=$3
  wrk_run wrk -t2 -c50 -d"$(warm_s "$WARM_A")"s "$URL/hello"; check_run "$name" "$s" warm-up 12
  verify "$name" "$s" 12 keepalive 50 -- wrk -t2 -c50 "$URL/hello"
  measure "$name" "$s" "$window" 12 -- wrk -t2 -c50 --latency "$URL/hello"
  R[$name,$s]=$M_VALUE
  R[$name,$s,detail]="$(awk '$1 == "50%" {print $2}' <<<"$M_OUT") / $(awk '$1 == "99%" {print $2}' <<<"$M_OUT")"
}

# b: a new connection and a full handshake per request: Connection: close, and the shim keeps
# wrk from resuming its TLS session.
run_b() {
  local name=$1
  wrk_run "${SHIM_ENV[@]}" wrk -t2 -c16 -d"$(warm_s "$WARM_B")"s -H 'Connection: close' "$URL/hello"
  check_run "$name" b warm-up 12
  verify "$name" b 12 full 16 -- "${SHIM_ENV[@]}" wrk -t2 -c16 -H 'Connection: close' "$URL/hello"
  measure "$name" b "$WIN_B" 12 -- "${SHIM_ENV[@]}" wrk -t2 -c16 -H 'Connection: close' "$URL/hello"
  R[$name,b]=$M_VALUE
}

# c: 1 MiB responses on 8 connections; requests/s is MiB/s of body.
run_c() {
  local name=$1
  wrk_run wrk -t2 -c8 -d"$(warm_s "$WARM_C")"s "$URL/bytes?n=1048576"; check_run "$name" c warm-up 1048576
  verify "$name" c 1048576 keepalive 8 -- wrk -t2 -c8 "$URL/bytes?n=1048576"
  measure "$name" c "$WIN_C" 1048576 -- wrk -t2 -c8 "$URL/bytes?n=1048576"
  R[$name,c]=$M_VALUE
}

# d: heap and RSS per idle TLS connection, on a fresh server (a server that had run b would
# carry b's session cache into the figure): the row's first scenario (KIND first).
run_d() {
  local name=$1 h0 r0 h1 r1 flag=$WORK/$name.idle-done out=$WORK/$name.idle opened alive suites
  rm -f "$flag"
  h0=$(heap_kib); r0=$(rss_kib)
  "$JAVA" -cp "$BENCH_CP" dev.httpsd.benchmarks.IdleClient "$PORT" "$IDLE" 300 "$flag" >"$out" 2>&1 &
  IDLE_PID=$!
  for _ in $(seq 1 1200); do grep -q '^open' "$out" && break; kill -0 "$IDLE_PID" 2>/dev/null || break; sleep 0.1; done
  if ! grep -q '^open' "$out"; then
    invalid "$name" d "the idle client failed: $(grep -m1 -E 'Exception|Error' "$out" | cut -c1-160)"
    kill "$IDLE_PID" 2>/dev/null || true; IDLE_PID=; return
  fi
  h1=$(heap_kib); r1=$(rss_kib)
  sleep "$IDLE_HOLD"
  touch "$flag"; wait "$IDLE_PID" 2>/dev/null || true; IDLE_PID=
  opened=$(awk '/^open/ {print $2}' "$out"); alive=$(awk '/^alive/ {print $2}' "$out"); suites=$(awk '/^suites/ {print $2}' "$out")
  R[$name,d]=$(awk -v a="$h0" -v b="$h1" -v n="$IDLE" 'BEGIN {printf "%.1f", (b - a) / n}')
  R[$name,d,detail]=$(awk -v a="$r0" -v b="$r1" -v n="$IDLE" 'BEGIN {printf "%.1f", (b - a) / n}')
  R[$name,d,suite]=${suites:-none}
  R[$name,d,win]="opened $opened of $IDLE, $alive still open afterwards"
  [ "$opened" = "$IDLE" ] || invalid "$name" d "opened $opened of $IDLE connections"
  [ "${alive:-0}" = "$opened" ] || invalid "$name" d "${alive:-0} of $opened connections still open after the measurement"
  [ "$suites" = TLS_AES_128_GCM_SHA256 ] || invalid "$name" d "negotiated ${suites:-nothing}"
  log "  d: ${R[$name,d]} KiB heap, ${R[$name,d,detail]} KiB RSS per idle TLS connection (${R[$name,d,win]})"
}

# e: JVM launch to the first 200 for /hello, median of STARTS launches (a row with an AOT cache
# trains it first: aot_train).
run_e() {
  local name=$1 times=() flags=$STARTUP_FLAGS trained=
  if [ -n "${AOT_ROW[$name]:-}" ]; then
    if ! aot_train "$name"; then invalid "$name" e "AOT cache training: $AOT_ERROR"; return; fi
    flags="$STARTUP_FLAGS -XX:AOTCache=$WORK/$name.aot -XX:AOTMode=on"
    trained="; AOT cache $AOT_SIZE MiB from a training run of $AOT_TRAIN_S s"
  fi
  for _ in $(seq 1 "$STARTS"); do
    if ! start_server "$name" "$flags"; then invalid "$name" e "$START_ERROR"; return; fi
    stop_server; times+=("$STARTUP_MS")
  done
  R[$name,e]=$(printf '%s\n' "${times[@]}" | sort -n | awk '{v[NR] = $1} END {printf "%.2f", v[int((NR + 1) / 2)] / 1000}')
  R[$name,e,win]="${times[*]} ms$trained"
  R[$name,e,suite]=${SUITE[$name]:-}
  log "  e: ${R[$name,e]} s to the first HTTPS response (${times[*]} ms)"
}

# f: scenario a's load on the starter with an @EventListener for every server event, switched off
# and on in one warm JVM (GET /listen?on=...). After a warm-up with the listener on (it compiles
# the publishing path and the listener; off is the same path without the dispatch), windows
# alternate without, with, without, ..., without: every window with the listener sits between
# two without it, back to back, and its cost is 1 - with / (the mean of those two), which a slow
# drift of the whole JVM cancels. Such a triple counts when its two outer windows agree within
# ±TOLERANCE % (the server did not move while the middle one ran). The last WINDOWS triples must
# all count; else one more pair (with, without) is measured and the oldest triple becomes
# warm-up, at most MAX_EXTENSIONS times. The figures are the
# medians over the measured triples of the with-windows, of their outer means and of the costs.
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
run_f() {
  local name=$1 i k n ext=0 unsteady first
  local -a rate=() with=() around=() cost=() # rate: without, with, without, with, ..., without
  f_window() { # on|off
    client curl -sk -o /dev/null "$URL/listen?on=$([ "$1" = on ] && echo true || echo false)"
    wrk_run wrk -t2 -c50 -d${WIN_SPRING}s "$URL/hello"
    check_run "$name" f "window $((${#rate[@]} + 1)) (listener $1)" 12
    rate+=("$W_RPS")
  }
  client curl -sk -o /dev/null "$URL/listen?on=true"
  wrk_run wrk -t2 -c50 -d${WARM_A}s "$URL/hello"; check_run "$name" f "warm-up" 12
  f_window off
  for i in $(seq 1 "$WINDOWS"); do f_window on; f_window off; done
  while :; do
    n=$(((${#rate[@]} - 1) / 2)); unsteady=
    for k in $(seq $((n - WINDOWS)) $((n - 1))); do
      steady "${rate[$((2 * k))]}" "${rate[$((2 * k + 2))]}" || unsteady+=" ${rate[$((2 * k))]}/${rate[$((2 * k + 2))]}"
    done
    [ -n "$unsteady" ] || break
    if [ "$ext" -ge "$MAX_EXTENSIONS" ]; then
      invalid "$name" f "the windows without the listener around a window with it not within ±$TOLERANCE % of each other after $ext extensions (${unsteady# })"
      break
    fi
    ext=$((ext + 1)); EXTENSIONS_USED=$((EXTENSIONS_USED + 2 * WIN_SPRING))
    log "  f: windows around the listener's not steady (${unsteady# }): one more pair of $WIN_SPRING s windows"
    f_window on; f_window off
  done
  for k in $(seq $((n - WINDOWS)) $((n - 1))); do
    with+=("${rate[$((2 * k + 1))]}")
    around+=("$(awk -v a="${rate[$((2 * k))]}" -v b="${rate[$((2 * k + 2))]}" 'BEGIN {printf "%.0f", (a + b) / 2}')")
    cost+=("$(awk -v w="${rate[$((2 * k + 1))]}" -v a="${rate[$((2 * k))]}" -v b="${rate[$((2 * k + 2))]}" 'BEGIN {printf "%.1f", (1 - 2 * w / (a + b)) * 100}')")
  done
  R[$name,fon]=$(median "${with[@]}"); R[$name,foff]=$(median "${around[@]}"); R[$name,fcost]=$(median "${cost[@]}")
  R[$name,f]=${R[$name,fon]}
  first=$((2 * (n - WINDOWS)))
  R[$name,f,win]=$(for i in "${!rate[@]}"; do
      [ "$i" != "$first" ] || printf '['
      printf '%s%s' "$([ $((i % 2)) = 1 ] && echo +)" "${rate[$i]}"
      if [ "$i" = $((${#rate[@]} - 1)) ]; then printf ']'; else printf ' '; fi
    done)
  R[$name,f,detail]="${cost[*]} %"
  R[$name,f,ext]=$ext
  R[$name,f,suite]=${SUITE[$name]:-}
  log "  f: ${R[$name,fon]} req/s with the listener, ${R[$name,foff]} around it without, cost ${R[$name,fcost]} % (${R[$name,f,win]})"
}

# g: scenario a's load on a JSON endpoint through the Spring binding layer of each stack: a path
# variable bound to a method parameter, a record returned and written as JSON by Boot's Jackson
# (httpsd's handler model, Spring MVC's message converters, WebFlux's encoders).
GREETING_PATH=/api/greetings/bench
GREETING_BYTES=28 # {"greeting":"Hello, bench!"}
run_g() {
  local name=$1 body
  body=$(client curl -sk --max-time 5 "$URL$GREETING_PATH" || true)
  if [ "$body" != '{"greeting":"Hello, bench!"}' ]; then
    invalid "$name" g "GET $GREETING_PATH answered '${body:0:80}', not {\"greeting\":\"Hello, bench!\"}"
    return
  fi
  wrk_run wrk -t2 -c50 -d"$(warm_s "$WARM_A")"s "$URL$GREETING_PATH"; check_run "$name" g warm-up "$GREETING_BYTES"
  verify "$name" g "$GREETING_BYTES" keepalive 50 -- wrk -t2 -c50 "$URL$GREETING_PATH"
  measure "$name" g "$WIN_SPRING" "$GREETING_BYTES" -- wrk -t2 -c50 --latency "$URL$GREETING_PATH"
  R[$name,g]=$M_VALUE
  R[$name,g,detail]="$(awk '$1 == "50%" {print $2}' <<<"$M_OUT") / $(awk '$1 == "99%" {print $2}' <<<"$M_OUT")"
}

# j: HTTP/2 over TLS, scenario a's small responses through h2load: 50 connections (as a), each
# with up to 10 concurrent streams, on two threads, the client offering the pinned suite
# (--tls13-ciphers: h2load sets its own TLS 1.3 list over OPENSSL_CONF's; shim/tls13only.c keeps
# it from offering TLS 1.2 and its suites too) and ALPN h2 first. h2load runs by request count
# (h2_run says why): the warm-up is a series of runs for at least WARM_J seconds, each sized from
# the previous one's rate to last about WIN_J seconds; every window is then one run of the same
# count, the last warm-up rate times WIN_J (the figure is requests / the run's time, connecting
# included: 50 handshakes, the same for every server). Every run must have negotiated h2, failed
# no request and seen only 2xx (h2_parse); the windows follow a's rules; the verification run
# (about VERIFY seconds) is captured to check the handshakes.
H2LOAD=(env "LD_PRELOAD=$WORK/tls13only.so" h2load -t2 -c50 -m10)
run_j() {
  local name=$1 tls=("--tls13-ciphers=$CLIENT_SUITES") t0 warm=0
  h2_settings "$name"
  t0=$(date +%s); H2_REQUESTS=$((WIN_J * 500))
  while [ $(($(date +%s) - t0)) -lt "$(warm_s "$WARM_J")" ]; do
    h2_run "${H2LOAD[@]}" "${tls[@]}" -n "$H2_REQUESTS" "$URL/hello"; check_run "$name" j "warm-up run $((warm += 1))" 12
    [ -z "$W_FAULTS" ] || break
    H2_REQUESTS=$(h2_count "$WIN_J")
  done
  H2_VERIFY_REQUESTS=$(h2_count "$VERIFY")
  verify "$name" j 12 keepalive 50 -- "${H2LOAD[@]}" "${tls[@]}" "$URL/hello"
  measure "$name" j "$WIN_J" 12 -- "${H2LOAD[@]}" "${tls[@]}" "$URL/hello"
  R[$name,j]=$M_VALUE
  W_OUT=$M_OUT; h2_parse
  R[$name,j,detail]=${W_MEAN:-?}
  local told="h2load negotiated ${W_PROTO:-nothing} ${W_CIPHER:-}; windows of $H2_REQUESTS requests after $warm warm-up runs and the verification run"
  R[$name,j,hellos]="${R[$name,j,hellos]:-}; $told; server ${R[$name,j,h2settings]}"
}
h2_count() { # seconds -> requests at the last run's rate (at least 1,000: a run must outlast its handshakes)
  awk -v r="$W_RPS" -v s="$1" 'BEGIN {n = int(r * s / 100 + 0.5) * 100; print (n < 1000 ? 1000 : n)}'
}

# The SETTINGS frame (and connection window update) a server sends first on an h2 connection,
# as nghttp -nv prints them: what every h2load connection of the row was allowed.
h2_settings() {
  local name=$1 out
  out=$(client timeout 10 nghttp -nv "$URL/hello" 2>&1 || true)
  R[$name,j,h2settings]=$(awk '
    /recv SETTINGS frame/ && !/flags=0x01/ && !done { on = 1; next }
    on && /^\[/ { on = 0; done = 1 }
    on && /\[SETTINGS_/ { v = $0; gsub(/[][ ]/, "", v); sub(/\(0x[0-9a-f]+\)/, "", v); sub(/^SETTINGS_/, "", v); s = s (s == "" ? "" : ", ") v }
    /recv WINDOW_UPDATE frame/ && /stream_id=0>/ { w = 1; next }
    w && /window_size_increment/ && c == "" { match($0, /[0-9]+/); c = substr($0, RSTART, RLENGTH); w = 0 }
    END { printf "SETTINGS %s%s", (s == "" ? "(none read)" : s), (c == "" ? "" : "; connection window +" c) }' <<<"$out")
  log "  j: ${R[$name,j,h2settings]}"
}

# ---- AOT cache training for scenario e's *-aot rows (issue 21 item 7) -----------------------
# The row's own command with -XX:AOTCacheOutput: 20 requests on new connections (full handshakes,
# so the handshake's classes are in the cache) and 2 s of keep-alive load, then SIGTERM. The JVM
# writes the cache as it exits, through a child JVM that assembles it: that takes seconds to
# minutes on a busy machine, so this waits up to 5 minutes, not stop_server's 10 s. Sets AOT_SIZE
# (MiB), AOT_TRAIN_S, or AOT_ERROR and returns 1.
aot_train() {
  local name=$1 cache=$WORK/$1.aot t0 training=$WORK/$1.aot-training.log
  rm -f "$cache" "$cache.config"
  t0=$(date +%s)
  if ! start_server "$name" "$STARTUP_FLAGS -XX:AOTCacheOutput=$cache"; then
    AOT_ERROR="the training run did not start: $START_ERROR"; return 1
  fi
  for _ in $(seq 1 20); do client curl -sk -o /dev/null --max-time 5 "$URL/hello" || true; done
  wrk_run wrk -t1 -c4 -d2s "$URL/hello"
  kill "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 3000); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    stop_server; AOT_ERROR="the training JVM had not written its cache 300 s after SIGTERM"; return 1
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
  cp "$WORK/$name.log" "$training"
  if ! grep -q 'AOTCache creation is complete' "$training" || [ ! -s "$cache" ]; then
    AOT_ERROR="no cache written ($(grep -m1 -iE 'error|fail' "$training" | cut -c1-160))"; return 1
  fi
  AOT_SIZE=$(( $(stat -c %s "$cache") / 1048576 ))
  AOT_TRAIN_S=$(( $(date +%s) - t0 ))
  log "  e: AOT cache of $AOT_SIZE MiB trained in $AOT_TRAIN_S s"
}
# ---- end of the AOT cache training -----------------------------------------------------------

# ---- scenario i: memory under load (issue 21 item 8) -----------------------------------------
# ACTIVE keep-alive TLS connections kept busy by ActiveClient at ACTIVE_RATE requests/s in all
# (a bounded rate: every server carries the same work), on a fresh server. The server's GC log is
# switched on at run time (jcmd VM.log: no change to any server's command) and three full GCs
# (jcmd GC.run) mark the measurement: before the connections open, after WARM_I s of load (A) and
# WIN_I s later (B). Heap = used after those full GCs (young + old, KiB, from the log's gc+heap
# lines); RSS = VmRSS right after each. Allocation = the heap's growth between consecutive GCs,
# summed from A to B (between two GCs the used heap grows only by allocation), divided by the
# responses the client completed between A's and B's log timestamps (interpolated from its 100 ms
# progress samples).
if [ "$MODE" = full ]; then ACTIVE=1000; ACTIVE_RATE=2000; WARM_I=10; WIN_I=15
else ACTIVE=100; ACTIVE_RATE=200; WARM_I=2; WIN_I=3; fi
TITLE[i]="i: heap MiB per 1,000 busy TLS conns (RSS MiB; KiB allocated per request)"; BETTER[i]=min; KIND[i]=fresh
run_i() {
  local name=$1 gclog=$WORK/$1.i-gc.log out=$WORK/$1.active progress=$WORK/$1.active-progress flag=$WORK/$1.active-done
  local r0 ra rb opened requests errors late alive suites marks
  rm -f "$gclog" "$out" "$progress" "$flag"
  if ! "$JCMD" "$SERVER_PID" VM.log output="$gclog" what=gc,gc+heap=info decorators=timemillis >/dev/null 2>&1; then
    invalid "$name" i "jcmd VM.log could not switch the server's GC log on"; return
  fi
  "$JCMD" "$SERVER_PID" GC.run >/dev/null; r0=$(rss_kib)
  "$JAVA" -cp "$BENCH_CP" dev.httpsd.benchmarks.ActiveClient "$PORT" "$ACTIVE" "$ACTIVE_RATE" \
    $((WARM_I + WIN_I + 300)) "$flag" "$progress" >"$out" 2>&1 &
  IDLE_PID=$!
  for _ in $(seq 1 1200); do grep -q '^open' "$out" && break; kill -0 "$IDLE_PID" 2>/dev/null || break; sleep 0.1; done
  if ! grep -q '^open' "$out"; then
    invalid "$name" i "the load client failed: $(grep -m1 -E 'Exception|Error' "$out" | cut -c1-160)"
    kill "$IDLE_PID" 2>/dev/null || true; IDLE_PID=; return
  fi
  sleep "$WARM_I"
  "$JCMD" "$SERVER_PID" GC.run >/dev/null; ra=$(rss_kib)
  sleep "$WIN_I"
  "$JCMD" "$SERVER_PID" GC.run >/dev/null; rb=$(rss_kib)
  touch "$flag"; wait "$IDLE_PID" 2>/dev/null || true; IDLE_PID=
  "$JCMD" "$SERVER_PID" VM.log disable >/dev/null 2>&1 || true
  opened=$(awk '/^open/ {print $2}' "$out"); requests=$(awk '/^requests/ {print $2}' "$out")
  errors=$(awk '/^errors/ {print $2}' "$out"); late=$(awk '/^late/ {print $2}' "$out")
  alive=$(awk '/^alive/ {print $2}' "$out"); suites=$(awk '/^suites/ {print $2}' "$out")
  # "heap0 heapA heapB allocKiB tA tB youngGCs" from the GC log: GC(n) lines in order; the first
  # three full GCs the diagnostic command caused are the marks
  marks=$(awk '
    { id = $2; gsub(/[^0-9]/, "", id); t = $1; gsub(/[^0-9]/, "", t) }
    / (PSYoungGen|ParOldGen): / {
      match($0, /: [0-9]+K\([0-9]+K\)->[0-9]+K/); v = substr($0, RSTART + 2, RLENGTH - 2)
      split(v, p, /K\([0-9]+K\)->|K/); before[id] += p[1]; after[id] += p[2]; seen[id] = 1
    }
    /Pause Full \(Diagnostic Command\)/ && n < 3 { mark[n++] = id; time[id] = t }
    END {
      if (n < 3) { print "missing"; exit }
      for (g = mark[1] + 1; g <= mark[2]; g++) {
        if (!seen[g] || !seen[g - 1]) { print "gap"; exit }
        alloc += before[g] - after[g - 1]
      }
      print after[mark[0]], after[mark[1]], after[mark[2]], alloc, time[mark[1]], time[mark[2]], mark[2] - mark[1] - 1
    }' "$gclog" 2>/dev/null)
  R[$name,i,suite]=${suites:-none}
  [ -n "$opened" ] && [ "$opened" = "$ACTIVE" ] || invalid "$name" i "opened ${opened:-no} of $ACTIVE connections"
  [ "${errors:-1}" = 0 ] || invalid "$name" i "${errors:-?} requests failed ($(awk '/^first-error/ {$1 = ""; print substr($0, 2)}' "$out" | cut -c1-160))"
  [ "${alive:-0}" = "${opened:-}" ] || invalid "$name" i "${alive:-0} of ${opened:-0} connections still open after the load"
  [ "$suites" = TLS_AES_128_GCM_SHA256 ] || invalid "$name" i "negotiated ${suites:-nothing}"
  if [ -z "$marks" ] || [ "$marks" = missing ] || [ "$marks" = gap ]; then
    invalid "$name" i "the server's GC log does not hold the three full GCs that mark the measurement (${marks:-no log})"; return
  fi
  local h0 ha hb alloc ta tb young served rate
  read -r h0 ha hb alloc ta tb young <<<"$marks"
  # responses completed between the two marks, interpolated from the client's progress samples
  served=$(awk -v a="$ta" -v b="$tb" '
    { if (pt != "" && $1 >= a && ca == "") ca = pc + ($2 - pc) * (a - pt) / ($1 - pt)
      if (pt != "" && $1 >= b && cb == "") cb = pc + ($2 - pc) * (b - pt) / ($1 - pt)
      pt = $1; pc = $2 }
    END { if (ca == "" || cb == "") print 0; else printf "%.0f", cb - ca }' "$progress")
  rate=$(awk -v n="$served" -v a="$ta" -v b="$tb" 'BEGIN {printf "%.0f", n * 1000 / (b - a)}')
  R[$name,i]=$(awk -v z="$h0" -v a="$ha" -v b="$hb" -v n="$ACTIVE" 'BEGIN {printf "%.1f", ((a + b) / 2 - z) / n * 1000 / 1024}')
  local rss alloc_req
  rss=$(awk -v z="$r0" -v a="$ra" -v b="$rb" -v n="$ACTIVE" 'BEGIN {printf "%.1f", ((a + b) / 2 - z) / n * 1000 / 1024}')
  alloc_req=$(awk -v a="$alloc" -v n="$served" 'BEGIN {if (n > 0) printf "%.2f", a / n; else print "?"}')
  R[$name,i,detail]="$rss; $alloc_req"
  R[$name,i,win]="heap after full GC $h0 KiB before, $ha and $hb KiB under load; RSS $r0, $ra, $rb KiB; $served responses in $(( (tb - ta) / 1000 )) s between the marks ($rate/s, target $ACTIVE_RATE), $young young GCs, $((alloc / 1024)) MiB allocated; $late of $requests requests late"
  if [ "$served" -le 0 ] || [ $((rate * 100)) -lt $((ACTIVE_RATE * 95)) ]; then
    invalid "$name" i "the load was not held: $rate responses/s between the marks, target $ACTIVE_RATE"
  fi
  log "  i: ${R[$name,i]} MiB heap, $rss MiB RSS per 1,000 busy connections; $alloc_req KiB allocated per request (${R[$name,i,win]})"
}
# ---- end of scenario i -----------------------------------------------------------------------

# Runs every wanted scenario for one server, in SCENARIOS order. A server that cannot be had or
# does not start makes each of its rows invalid, with the reason, and is not tried again.
run_server() {
  local name=$1 s running=0 down=${UNAVAILABLE[$1]:-} order=()
  log "$name"
  # the row's "first" scenarios (d) before the others: they need the process untouched by load
  for s in "${SCENARIOS[@]}"; do [ "${KIND[$s]}" != first ] || order+=("$s"); done
  for s in "${SCENARIOS[@]}"; do [ "${KIND[$s]}" = first ] || order+=("$s"); done
  for s in "${order[@]}"; do
    want "$s" && applies "$s" "$name" && [[ ${SCENARIOS_OF[$name]:-$s} == *$s* ]] || continue
    if [ -n "$down" ]; then invalid "$name" "$s" "$down"; continue; fi
    case ${KIND[$s]} in
      shared | first) if [ $running = 0 ]; then boot "$name" "$s" || { down=$START_ERROR; continue; }; running=1; fi ;;
      fresh) stop_server; running=0; boot "$name" "$s" || { down=$START_ERROR; continue; } ;;
      own) stop_server; running=0 ;;
    esac
    "run_$s" "$name"
    if [ "${KIND[$s]}" = fresh ]; then stop_server; fi
  done
  stop_server
}

# Starts the server for a row and checks it: a server that does not start, or whose TLS engine
# is not the one its row claims, makes the row invalid.
boot() {
  local name=$1 s=$2
  if ! start_server "$name"; then invalid "$name" "$s" "did not start: $START_ERROR"; return 1; fi
  check_engine "$name"
  [ -n "${SUITE[$name]:-}" ] || describe_server "$name"
  if [ -n "$ENGINE_BAD" ]; then invalid "$name" "$s" "$ENGINE_BAD"; fi
  R[$name,$s,suite]=${SUITE[$name]}
  return 0
}

# N idle TLS connections against one server at a time, on demand (lib/idle-connections.sh)
if [ "$IDLE_MODE" = 1 ]; then
  # shellcheck source=lib/idle-connections.sh
  . "$BENCH/lib/idle-connections.sh"
  idle_plan
  [ "$ESTIMATE_ONLY" = 0 ] || exit 0
  idle_connections
  exit $?
fi

if [ "$MODE" = selftest ]; then
  build_all
  # shellcheck source=lib/selftest.sh
  . "$BENCH/lib/selftest.sh"
  selftest
  exit $?
fi

# ---- how long the run will take ------------------------------------------------------------
# From the windows and warm-ups above, per row; the rest are this machine's overheads, measured
# in the default runs from fresh clones on 2026-12-06 (results/2026-12-06-fresh-clone*.md and their
# logs): a server's start to its first 200 (start_s: scenario e's medians, rounded up), its TLS
# check after the start (an s_client handshake and a request: ~4 s), a stop (~1 s), a
# verification window's capture (tshark's start, a second's margin, reading the capture: ~4 s
# beyond the window), scenario d's 2,000 connections and four jcmd calls (~12 s), i's (~15 s), an
# AOT training (~60 s), and the builds (~45 s from a fresh clone; Spring's AOT processing, which
# only the AOT rows need, adds ~25 s: it runs in the benchmarks and the observed builds). Warm-up extensions add at most
# MAX_EXTENSIONS windows per row (a pair of windows in f); extension_s is that worst case.
# benchmarks/README.md works the default run through.
calc() { awk "BEGIN {print $1}"; }
start_s() {
  case $1 in
    tomcat*) echo 9 ;;
    webflux*) echo 7 ;;
    httpsd-starter*) echo 5 ;;
    *) [[ ${CMD[$1]} == *--spring.main.banner-mode* ]] && echo 5 || echo 2 ;;
  esac
}
scenario_s() { # scenario server -> seconds
  local v=4 st # the verification window itself is the warm-up's end (warm_s)
  st=$(start_s "$2")
  case $1 in
    a) echo $((WARM_A + WINDOWS * WIN_A + v)) ;;
    b) echo $((WARM_B + WINDOWS * WIN_B + v)) ;;
    c) echo $((WARM_C + WINDOWS * WIN_C + v)) ;;
    d) echo 12 ;;
    e) calc "$STARTS * ($st + 1)${AOT_ROW[$2]:+ + 60}" ;;
    f) echo $((WARM_A + (2 * WINDOWS + 1) * WIN_SPRING + 2)) ;;
    g | h) echo $((WARM_A + WINDOWS * WIN_SPRING + v)) ;;
    i) calc "$st + 1 + 4 + $WARM_I + $WIN_I + 15" ;;
    j) echo $((WARM_J + WIN_J + WINDOWS * WIN_J + v + 1)) ;;
  esac
}
extension_s() { # scenario -> seconds one row may add in warm-up extensions
  case $1 in
    a) echo $((MAX_EXTENSIONS * WIN_A)) ;;
    b) echo $((MAX_EXTENSIONS * WIN_B)) ;;
    c) echo $((MAX_EXTENSIONS * WIN_C)) ;;
    f) echo $((MAX_EXTENSIONS * 2 * WIN_SPRING)) ;;
    g | h) echo $((MAX_EXTENSIONS * WIN_SPRING)) ;;
    j) echo $((MAX_EXTENSIONS * WIN_J)) ;;
    *) echo 0 ;;
  esac
}
EXT_MAX=0
estimate() {
  local total=0 name s shared
  [ $BUILD = 0 ] || total=45
  for name in "${ORDER[@]}"; do [ -z "${AOT_ROW[$name]:-}" ] || { [ $BUILD = 0 ] || total=70; break; }; done
  for name in "${ORDER[@]}"; do
    shared=0
    for s in "${SCENARIOS[@]}"; do
      want "$s" && applies "$s" "$name" && [[ ${SCENARIOS_OF[$name]:-$s} == *$s* ]] || continue
      [ "${KIND[$s]}" = own ] || [ "${KIND[$s]}" = fresh ] || shared=1
      total=$(calc "$total + $(scenario_s "$s" "$name")")
      EXT_MAX=$((EXT_MAX + $(extension_s "$s")))
    done
    # the row's server: its start, its TLS check (~4 s) and its stop (~1 s)
    [ $shared = 0 ] || total=$(calc "$total + $(start_s "$name") + 5")
  done
  EST=$(printf '%.0f' "$total")
}
estimate # sets EST and EXT_MAX
log "mode $MODE$([ $EXTENDED = 0 ] || echo ", extended"); servers: ${ORDER[*]}; scenarios: $ONLY"
log "estimated run time: $((EST / 60)) min $((EST % 60)) s, plus at most $EXT_MAX s of warm-up extensions ($MAX_EXTENSIONS per row; $(((EST + EXT_MAX) / 60)) min $(((EST + EXT_MAX) % 60)) s in all)"
[ "$ESTIMATE_ONLY" = 0 ] || exit 0
build_all
for name in "${ORDER[@]}"; do run_server "$name"; done
write_report
