# Sourced by benchmarks/run.sh: starting and stopping servers, running wrk, and the validity
# rules every row (server x scenario) must pass. Rows collect their verdicts in R[name,s,why];
# an empty verdict means valid. Nothing here knows about a particular scenario.

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

# Marks a row invalid, with a reason that goes into the results file.
invalid() {
  local name=$1 s=$2 reason=$3
  R[$name,$s,why]="${R[$name,$s,why]:+${R[$name,$s,why]}; }$reason"
  log "  $s: INVALID: $reason"
}

# Runs a client under the pinned TLS configuration (never a server: see start_server).
client() { OPENSSL_CONF=$CLIENT_CONF "$@"; }

# ---- servers -------------------------------------------------------------------------------
# A server's command is a template: @JAVA@, @JVMFLAGS@, @CP:module@, @PORT@, @CERT@, @KEY@, @P12@.
render_command() { # template, jvm flags -> the command to run
  local out=$1 module
  while [[ $out =~ @CP:([a-z-]+)@ ]]; do
    module=${BASH_REMATCH[1]}
    out=${out//@CP:$module@/$(classpath_of "$module")}
  done
  out=${out//@JAVA@/$JAVA}
  out=${out//@JVMFLAGS@/$2}
  out=${out//@PORT@/$PORT}
  out=${out//@CERT@/$CERT}
  out=${out//@KEY@/$KEY}
  out=${out//@P12@/$P12}
  echo "$out"
}
report_command() { # template -> the same command with no path of this machine in it
  local out=$1
  out=$(sed -E 's/@CP:([a-z-]+)@/<class path of \1>/g' <<<"$out")
  out=${out//@JAVA@/java}
  out=${out//@JVMFLAGS@/$JVM_FLAGS}
  out=${out//@PORT@/$PORT}
  out=${out//@CERT@/cert.pem}
  out=${out//@KEY@/key.pem}
  out=${out//@P12@/keystore.p12}
  echo "$out"
}

SERVER_PID=
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}

# Starts a server (JVM flags $2, default JVM_FLAGS) and waits for its first 200 on /hello.
# Returns 1 (and sets START_ERROR) if it dies or does not answer 200 within 60 s; STARTUP_MS
# holds how long the first 200 took. OPENSSL_CONF is unset: a server linking OpenSSL (Tomcat's
# FFM implementation) must run with its own defaults, not the client's pinned suite.
start_server() {
  local name=$1 flags=${2:-$JVM_FLAGS} argv status=000 t0
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "port $PORT is busy: stop what uses it or set BENCH_PORT" >&2; exit 1
  fi
  read -r -a argv <<<"$(render_command "${CMD[$name]}" "$flags")"
  t0=$(date +%s%N)
  env -u OPENSSL_CONF "${argv[@]}" >"$WORK/$name.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 6000); do
    status=$(client curl -sk --max-time 2 -o /dev/null -w '%{http_code}' "https://127.0.0.1:$PORT/hello" || true)
    if [ "$status" = 200 ]; then
      STARTUP_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      START_ERROR="the server exited before answering (last log line: $(grep -v '^\s*$' "$WORK/$name.log" | grep -iE 'error|exception|fail' | head -1 | cut -c1-160))"
      SERVER_PID=; return 1
    fi
    sleep 0.01
  done
  START_ERROR="no 200 for /hello within 60 s (last status $status)"
  stop_server; return 1
}

# What the running server says about its TLS implementation: the body of its probe URL if it
# has one, else the first "tls-engine:" line of its output. With EXPECT[name] set, a row whose
# engine does not match is invalid (an "OpenSSL" row must really run OpenSSL).
check_engine() {
  local name=$1 seen
  if [ -n "${PROBE[$name]:-}" ]; then
    seen=$(client curl -sk --max-time 5 "https://127.0.0.1:$PORT${PROBE[$name]}" | grep -m1 '^tls-engine:' || true)
  else
    # peers print the line as they finish starting, a moment before or after the first 200
    local tries=10; [ -z "${EXPECT[$name]:-}" ] || tries=50
    for _ in $(seq 1 $tries); do grep -q '^tls-engine:' "$WORK/$name.log" && break; sleep 0.1; done
    seen=$(grep -m1 '^tls-engine:' "$WORK/$name.log" || true)
  fi
  seen=${seen#tls-engine: }
  ENGINE[$name]=${seen:-not reported}
  if [ -n "${EXPECT[$name]:-}" ] && ! [[ ${ENGINE[$name]} =~ ${EXPECT[$name]} ]]; then
    ENGINE_BAD="TLS engine check: expected /${EXPECT[$name]}/, the server reports \"${ENGINE[$name]}\""
  else
    ENGINE_BAD=
  fi
}

# Once per server, after check_engine: the suite openssl s_client negotiates, and the /hello
# response headers.
describe_server() {
  local name=$1
  SUITE[$name]=$(echo | client timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -servername localhost -brief 2>&1 \
    | awk -F': ' '/^Protocol version/ {p = $2} /^Ciphersuite/ {c = $2} END {print (c == "" ? "handshake failed" : p " " c)}')
  HEADERS[$name]=$(client curl -sk --max-time 5 -D- -o /dev/null "https://127.0.0.1:$PORT/hello" | tr -d '\r')
  log "  s_client: ${SUITE[$name]}; engine: ${ENGINE[$name]}"
}

# Heap used after a full GC (KiB) and RSS (KiB) of the server.
heap_kib() {
  "$JCMD" "$SERVER_PID" GC.run >/dev/null
  "$JCMD" "$SERVER_PID" GC.heap_info | grep -oE '(PSYoungGen|ParOldGen) +total [0-9]+K, used [0-9]+K' \
    | grep -oE 'used [0-9]+' | awk '{s += $2} END {print s}'
}
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }

# ---- wrk -----------------------------------------------------------------------------------
# Runs wrk (through client) and parses its output into W_RPS, W_LAT50/W_LAT99, W_REQUESTS,
# W_BYTES (bytes read per request) and W_FAULTS (socket errors and non-2xx, empty if none).
# The output is kept in W_OUT.
wrk_run() {
  W_OUT=$(client "$@" 2>&1) || true
  W_RPS=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$W_OUT")
  W_RPS=${W_RPS:-0}
  W_LAT50=$(awk '$1 == "50%" {print $2}' <<<"$W_OUT")
  W_LAT99=$(awk '$1 == "99%" {print $2}' <<<"$W_OUT")
  W_REQUESTS=$(awk '/ requests in / {print $1}' <<<"$W_OUT")
  W_REQUESTS=${W_REQUESTS:-0}
  W_BYTES=$(awk '/ requests in / {
      v = $5; sub(/read$/, "", v); u = v; sub(/^[0-9.]+/, "", u); n = v + 0
      f = (u == "GB") ? 1073741824 : (u == "MB") ? 1048576 : (u == "KB") ? 1024 : 1
      printf "%.0f", ($1 > 0) ? n * f / $1 : 0 }' <<<"$W_OUT")
  W_FAULTS=$(awk '
      /Socket errors:/ { gsub(/,/, ""); for (i = 3; i < NF; i += 2) if ($(i + 1) > 0) f = f sprintf("%s%s %s errors", (f == "" ? "" : ", "), $(i + 1), $i) }
      /Non-2xx or 3xx responses:/ { f = f sprintf("%s%s non-2xx responses", (f == "" ? "" : ", "), $NF) }
      END { print f }' <<<"$W_OUT")
  if [ "$W_REQUESTS" = 0 ] && [ -z "$W_FAULTS" ]; then
    W_FAULTS="no request completed$(grep -m1 -iE 'error|unable|fail' <<<"$W_OUT" | sed 's/^/: /' || true)"
  fi
}

# ---- h2load (scenario j) ------------------------------------------------------------------
# Runs h2load (through client) and parses its output into wrk_run's W_* variables: W_RPS (the
# requests/s h2load reports for its main duration), W_REQUESTS (requests that succeeded),
# W_BYTES (DATA bytes per succeeded request), W_FAULTS (failed, errored or timed-out requests,
# responses that are not 2xx, an application protocol other than h2, nothing completed), plus
# W_PROTO and W_CIPHER (what h2load says it negotiated) and W_MEAN (mean time per request).
# h2load runs by request count (-n): in its timing mode (-D) it never returned, in smoke runs,
# after "Stopped all clients" against a freshly started Reactor Netty. Each run still gets a time
# limit (-D runs their duration plus a minute, -n runs two minutes); a run stopped at its limit
# makes the row invalid.
h2_run() {
  local arg prev= limit=120 status=0
  for arg in "$@"; do [ "$prev" != -D ] || limit=$((arg + 60)); prev=$arg; done
  W_OUT=$(client timeout -k 5 "$limit" "$@" 2>&1) || status=$?
  h2_parse
  if [ "$status" = 124 ] || [ "$status" = 137 ]; then
    W_FAULTS="h2load did not finish within $limit s and was stopped${W_FAULTS:+; $W_FAULTS}"
  fi
}
h2_parse() {
  W_RPS=$(awk '/^finished in/ {printf "%.0f", $4}' <<<"$W_OUT")
  W_RPS=${W_RPS:-0}
  W_PROTO=$(awk -F': ' '/^Application protocol:/ {print $2; exit}' <<<"$W_OUT")
  W_CIPHER=$(awk -F': ' '/^Cipher:/ {print $2; exit}' <<<"$W_OUT")
  W_MEAN=$(awk '/^time for request:/ {print $6}' <<<"$W_OUT")
  local failed
  W_REQUESTS= failed=
  read -r W_REQUESTS failed < <(awk '/^requests:/ {print $8, $10 + $12 + $14}' <<<"$W_OUT") || true
  W_REQUESTS=${W_REQUESTS:-0}
  W_BYTES=$(awk -v n="$W_REQUESTS" '/^traffic:/ && match($0, /\([0-9]+\) data/) {
      printf "%.0f", (n > 0) ? substr($0, RSTART + 1, RLENGTH - 7) / n : 0 }' <<<"$W_OUT")
  W_FAULTS=$(awk -v proto="$W_PROTO" '
      /^requests:/ { if ($10 > 0) f = f sprintf(", %s failed requests", $10)
                     if ($12 > 0) f = f sprintf(", %s errored requests", $12)
                     if ($14 > 0) f = f sprintf(", %s timed-out requests", $14) }
      /^status codes:/ { n = $5 + $7 + $9; if (n > 0) f = f sprintf(", %s non-2xx responses (%s 3xx, %s 4xx, %s 5xx)", n, $5, $7, $9) }
      END { if (proto != "h2") f = f ", negotiated " (proto == "" ? "no application protocol" : proto) ", not h2"
            print substr(f, 3) }' <<<"$W_OUT")
  if [ "$W_REQUESTS" = 0 ]; then
    W_FAULTS="no request completed$(grep -m1 -iE 'error|could not|fail|refused' <<<"$W_OUT" | sed 's/^/: /' || true)${W_FAULTS:+; $W_FAULTS}"
  fi
}
is_h2load() { local arg; for arg in "$@"; do [ "$arg" = h2load ] && return 0; done; return 1; }
# One window of a throughput scenario: wrk for that many seconds, or h2load for H2_REQUESTS
# requests (set by run_j from its warm-up's rate so that a window lasts about that long).
run_window() { # seconds command...
  local seconds=$1; shift
  if is_h2load "$@"; then h2_run "$@" -n "$H2_REQUESTS"; else wrk_run "$@" -d"${seconds}s"; fi
}

# Checks one wrk run of a row against the rules that apply to every run: no socket error, no
# non-2xx, responses at least as long as the body. wrk prints the bytes read with two decimals
# of their unit (e.g. 1.00GB), so the bytes per response are only known to within ~1 %; the
# verification window's status.lua checks every response's length exactly.
check_run() { # name scenario label min-bytes
  local name=$1 s=$2 label=$3 min=$4
  [ -z "$W_FAULTS" ] || invalid "$name" "$s" "$label: $W_FAULTS"
  if [ "$W_REQUESTS" -gt 0 ] && [ $(( ${W_BYTES:-0} * 100 )) -lt $(( min * 99 )) ]; then
    invalid "$name" "$s" "$label: $W_BYTES bytes read per response, the body alone is $min"
  fi
}

# True when the given windows are all within ±TOLERANCE % of each other (so each is within
# ±TOLERANCE % of its neighbours, and a slow climb across them is caught too).
steady() { printf '%s\n' "$@" | awk -v t="$TOLERANCE" 'NR == 1 {lo = hi = $1} {if ($1 < lo) lo = $1; if ($1 > hi) hi = $1} END {exit !(lo > 0 && hi <= lo * (1 + t / 100))}'; }

# The measured part of a throughput scenario: WINDOWS windows of $window seconds after the
# warm-up. While the last WINDOWS windows are not steady the warm-up is extended by one window
# (the oldest window becomes warm-up) and one more is measured, at most MAX_EXTENSIONS times
# per row; a row still unsteady then is invalid. Every
# window is recorded. Sets M_VALUE (median of the measured windows), M_OUT (that window's wrk
# output) and R[name,s,win] ("w1 w2 [w3 w4 w5]": brackets mark the measured windows).
# Usage: measure name scenario window-seconds min-bytes -- wrk or h2load command (without its duration)
measure() {
  local name=$1 s=$2 window=$3 min=$4 i=0 extensions=0
  shift 5
  local -a rates=() outs=()
  while :; do
    run_window "$window" "$@"
    i=$((i + 1)); rates+=("$W_RPS"); outs+=("$W_OUT")
    check_run "$name" "$s" "window $i" "$min"
    [ "$i" -ge "$WINDOWS" ] || continue
    local last=("${rates[@]: -$WINDOWS}")
    steady "${last[@]}" && break
    if [ "$extensions" -ge "$MAX_EXTENSIONS" ]; then
      invalid "$name" "$s" "windows not within ±$TOLERANCE % of each other after $extensions warm-up extensions (${last[*]})"
      break
    fi
    extensions=$((extensions + 1)); EXTENSIONS_USED=$((EXTENSIONS_USED + window))
    log "  $s: windows ${last[*]} not steady: warm-up extended by ${window} s"
  done
  local first=$((i - WINDOWS)) median_index
  median_index=$(for j in $(seq "$first" $((i - 1))); do echo "${rates[$j]} $j"; done | sort -n | awk -v n="$WINDOWS" 'NR == int((n + 1) / 2) {print $2}')
  M_VALUE=${rates[$median_index]}
  M_OUT=${outs[$median_index]}
  R[$name,$s,win]=$(for j in $(seq 0 $((i - 1))); do
      if [ "$j" = "$first" ]; then printf '['; fi
      printf '%s' "${rates[$j]}"
      if [ "$j" = $((i - 1)) ]; then printf ']'; else printf ' '; fi
    done)
  R[$name,$s,ext]=$extensions
}

# ---- verification windows ------------------------------------------------------------------
# A short extra window, never a measured one: tshark captures the TCP segments that start a TLS
# handshake record (ClientHello, ServerHello; nothing of the encrypted traffic), and wrk runs
# with status.lua, which checks every response's status and length. Then the row is checked:
# a capture with no ServerHello is invalid, the client must have offered only
# TLS_AES_128_GCM_SHA256, the server must have chosen it, and with "full" (scenario b) no
# ServerHello may accept a pre-shared key and there must be a handshake per request.
# A keep-alive window must show at least one handshake per wrk connection.
# Usage: verify name scenario min-bytes full|keepalive connections -- wrk or h2load command (without its duration)
verify() {
  local name=$1 s=$2 min=$3 kind=$4 connections=$5 capture=$WORK/$1-$2.pcapng tshark_pid
  shift 6
  rm -f "$capture" "$capture.err"
  tshark -i lo -f "${CAPTURE_FILTER:-tcp port $PORT} and tcp[((tcp[12:1] & 0xf0) >> 2):1] = 0x16" -s 1024 \
    -w "$capture" -q 2>"$capture.err" &
  tshark_pid=$!
  for _ in $(seq 1 100); do grep -q 'Capturing on' "$capture.err" 2>/dev/null && break; sleep 0.1; done
  sleep 1 # "Capturing on" can come a moment before the first packet is captured
  # h2load counts every response's status itself (its status codes line, checked by check_run)
  local h2=0
  if is_h2load "$@"; then h2=1; h2_run "$@" -n "$H2_VERIFY_REQUESTS"; else wrk_run "$@" -d"${VERIFY}s" -s "$BENCH/wrk/status.lua" -- "$min"; fi
  kill -INT "$tshark_pid" 2>/dev/null || true
  wait "$tshark_pid" 2>/dev/null || true
  check_run "$name" "$s" "verification window" "$min"
  local responses= non2xx= short=
  [ $h2 = 1 ] || read -r responses non2xx short < <(awk '/^status-check/ {print $3, $5, $7}' <<<"$W_OUT") || true
  if [ $h2 = 1 ]; then
    :
  elif [ -z "${responses:-}" ]; then
    invalid "$name" "$s" "verification window: wrk's status check printed nothing"
  elif [ "$non2xx" -gt 0 ] || [ "$short" -gt 0 ]; then
    invalid "$name" "$s" "verification window: $non2xx of $responses responses not 2xx, $short shorter than $min bytes"
  fi
  # one line per handshake message: type|suites|extension types
  local hellos
  hellos=$(tshark -r "$capture" -d "tcp.port==$PORT,tls" -Y 'tls.handshake.type == 1 || tls.handshake.type == 2' \
    -T fields -E separator='|' -e tls.handshake.type -e tls.handshake.ciphersuite -e tls.handshake.extension.type 2>/dev/null || true)
  local servers offered chosen resumed client_psk
  servers=$(grep -c '^2|' <<<"$hellos" || true)
  # 0x00ff is the renegotiation SCSV, a signal rather than a suite
  offered=$(awk -F'|' '$1 == 1 {n = split($2, c, ","); for (i = 1; i <= n; i++) if (c[i] != "0x00ff") s[c[i]]} END {for (k in s) printf "%s ", k}' <<<"$hellos" | xargs -n1 2>/dev/null | sort | xargs)
  chosen=$(awk -F'|' '$1 == 2 {s[$2]} END {for (k in s) printf "%s ", k}' <<<"$hellos" | xargs -n1 2>/dev/null | sort | xargs)
  resumed=$(awk -F'|' '$1 == 2 && $3 ~ /(^|,)41(,|$)/' <<<"$hellos" | grep -c . || true)
  client_psk=$(awk -F'|' '$1 == 1 && $3 ~ /(^|,)41(,|$)/' <<<"$hellos" | grep -c . || true)
  R[$name,$s,suite]=$(suite_names "$chosen")
  R[$name,$s,hellos]="$servers ServerHellos, $resumed resumed, $W_REQUESTS requests"
  if [ "$servers" = 0 ]; then
    invalid "$name" "$s" "verification capture holds no ServerHello"
  else
    [ "$offered" = 0x1301 ] || invalid "$name" "$s" "the client offered $(suite_names "$offered"), not only TLS_AES_128_GCM_SHA256"
    [ "$chosen" = 0x1301 ] || invalid "$name" "$s" "the server chose $(suite_names "$chosen")"
  fi
  if [ "$kind" = keepalive ] && [ "$servers" -gt 0 ] && [ "$servers" -lt "$connections" ]; then
    invalid "$name" "$s" "verification capture incomplete: $servers ServerHellos for $connections connections"
  fi
  if [ "$kind" = full ]; then
    [ "$resumed" = 0 ] || invalid "$name" "$s" "$resumed of $servers handshakes were resumptions (the client offered a PSK $client_psk times)"
    # Connection: close on every request: a handshake per request, or the server kept connections
    if [ "$servers" -gt 0 ] && [ "$servers" -lt $((W_REQUESTS * 9 / 10)) ]; then
      invalid "$name" "$s" "$servers handshakes for $W_REQUESTS requests: connections were reused"
    fi
  fi
}

suite_names() { # hex codes -> IANA names
  local out=() code
  for code in $1; do
    case $code in
      0x1301) out+=(TLS_AES_128_GCM_SHA256) ;;
      0x1302) out+=(TLS_AES_256_GCM_SHA384) ;;
      0x1303) out+=(TLS_CHACHA20_POLY1305_SHA256) ;;
      *) out+=("$code") ;;
    esac
  done
  local IFS=,
  echo "${out[*]:-none}"
}
