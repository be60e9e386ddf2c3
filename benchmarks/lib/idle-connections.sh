# Sourced by benchmarks/run.sh --idle-connections [N] [servers...] (issue 21 item 4's measurement,
# on demand, never part of a default or extended run): N keep-alive TLS 1.3 connections held open
# and idle at once against one server (default 100,000; servers httpsd-core and webflux, the best
# peer of scenario d), then per connection: the heap used after a full GC and VmRSS, before and
# after (scenario d's heap_kib and rss_kib), the server's OS threads, and whether every
# connection still answers one more request. Writes benchmarks/results/<date>-idle-<N>.md (a
# --smoke run: target/run/). benchmarks/README.md ("Idle connections on demand") says what it
# needs and how long it takes.

IDLE_PER_SOURCE=${BENCH_IDLE_PER_SOURCE:-20000} # connections per loopback source address: ip_local_port_range gives ~28,000
IDLE_OPENERS=${BENCH_IDLE_OPENERS:-8}
IDLE_OPEN_LIMIT=${BENCH_IDLE_TIMEOUT:-600} # seconds to open them all, or the row is invalid
IDLE_FD_MARGIN=1000 # descriptors a JVM holds besides its connections: jars, epoll, pipes, logs
IDLE_JVM_FLAGS="-Xms${BENCH_IDLE_HEAP:-4g} -Xmx${BENCH_IDLE_HEAP:-4g} -XX:+UseParallelGC -XX:+AlwaysPreTouch"
IDLE_TIMEOUT=1h # idle timeouts raised to: opening 100,000 takes minutes, and a measurement must not lose any

declare -A IDLE_PROPS IDLE_ARGS IDLE_LIMITS IDLE_ROW

# The servers this mode knows how to raise the limits of, and what it sets (for this measurement
# only; scenario d keeps every server's defaults). MAX is N plus the margin.
idle_settings() {
  local max=$(($1 + IDLE_FD_MARGIN))
  IDLE_PROPS[httpsd-core]="-Dhttpsd.maxOpenSockets=$max -Dhttpsd.idleTimeout=PT1H"
  IDLE_LIMITS[httpsd-core]="maxOpenSockets $max (default 10,000: beyond it the acceptor waits for a free session slot and new connections queue unanswered); idleTimeout 1 h (default 30 s: the first connections would be closed while the last ones open)"
  IDLE_ARGS[httpsd-starter]="--https-server.max-open-sockets=$max --https-server.idle-timeout=$IDLE_TIMEOUT"
  IDLE_LIMITS[httpsd-starter]="https-server.max-open-sockets=$max (default 10,000), https-server.idle-timeout=$IDLE_TIMEOUT (default 30 s), as httpsd-core"
  IDLE_ARGS[webflux]=
  IDLE_LIMITS[webflux]="none raised: Reactor Netty limits no connections, and has no idle timeout while server.netty.idle-timeout is unset (Spring Boot's default)"
  IDLE_ARGS[tomcat]="--server.tomcat.max-connections=$max --server.tomcat.keep-alive-timeout=$IDLE_TIMEOUT"
  IDLE_LIMITS[tomcat]="server.tomcat.max-connections=$max (default 8,192); server.tomcat.keep-alive-timeout=$IDLE_TIMEOUT (default: the connection timeout, 60 s)"
  IDLE_PROPS[jetty]="-Dpeer.idleTimeoutMillis=3600000"
  IDLE_LIMITS[jetty]="the connector's idle timeout 1 h (-Dpeer.idleTimeoutMillis; default 30 s); no connection limit (Jetty's default)"
  # the self-test's servers: no limits of their own but their faults
  IDLE_LIMITS[faulty]="none (the self-test's server)"
  IDLE_LIMITS[faulty-idle]="none (the self-test's server, which closes connections idle for 2 s)"
}

# Checks the arguments and this machine's limits before anything is built; prints the plan.
# Exits 2 on a bad argument, 1 when the machine cannot hold N connections in one process.
idle_plan() {
  local name hard
  [[ $IDLE_N =~ ^[1-9][0-9]*$ ]] || { echo "--idle-connections: N must be a positive number, not '$IDLE_N'" >&2; exit 2; }
  IDLE_SOURCES=$(((IDLE_N + IDLE_PER_SOURCE - 1) / IDLE_PER_SOURCE))
  [ "$IDLE_SOURCES" -le 254 ] || { echo "--idle-connections: at most $((254 * IDLE_PER_SOURCE)) connections (254 loopback source addresses)" >&2; exit 2; }
  [ ${#SELECTED[@]} -gt 0 ] || SELECTED=(httpsd-core webflux)
  ORDER=("${SELECTED[@]}")
  idle_settings "$IDLE_N"
  for name in "${ORDER[@]}"; do
    [ -n "${CMD[$name]:-}" ] || { echo "unknown server $name (known: ${!CMD[*]})" >&2; exit 2; }
    [ -n "${IDLE_LIMITS[$name]:-}" ] || { echo "--idle-connections: no known way to raise $name's connection limits; servers: ${!IDLE_LIMITS[*]}" >&2; exit 2; }
  done
  # Every connection is a descriptor in the server and one in the client: both processes need
  # N plus their own. The soft limit is raised here for both (the JVM also raises its own to the
  # hard limit); the hard limit can only be raised with CAP_SYS_RESOURCE.
  hard=$(ulimit -Hn)
  IDLE_FDS=$((IDLE_N + IDLE_FD_MARGIN))
  log "idle connections: $IDLE_N from $IDLE_SOURCES loopback source address(es), $IDLE_OPENERS opener threads, at most $IDLE_OPEN_LIMIT s to open them; servers: ${ORDER[*]}"
  for name in "${ORDER[@]}"; do log "  $name: ${IDLE_LIMITS[$name]}"; done
  log "  open files: $IDLE_FDS needed per process (hard limit here: $hard; the client JVM -Xmx$(idle_client_heap))"
  if [ "$hard" != unlimited ] && [ "$hard" -lt "$IDLE_FDS" ]; then
    echo "INVALID: $IDLE_N connections need $IDLE_FDS open files in the server and in the client, and this machine's hard limit is $hard (ulimit -Hn; raising it needs CAP_SYS_RESOURCE, or a higher limit where the shell starts): at most $((hard - IDLE_FD_MARGIN)) connections here" >&2
    exit 1
  fi
  ulimit -Sn "$IDLE_FDS"
}

# The client holds N JSSE sockets: 10 KiB each after a full GC at 19,000 (results/2026-12-06-idle-19k.md);
# a cap of 48 KiB each plus 512 MiB leaves room for the garbage of the handshakes.
idle_client_heap() { echo "$((IDLE_N * 48 / 1024 + 512))m"; }

os_threads() { awk '/^Threads:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo '?'; }

# One server: started with the mode's heap and raised limits, measured, stopped.
idle_run() {
  local name=$1 out=$WORK/$1.idle-connections flag=$WORK/$1.idle-connections-done t0 waited
  local h0 r0 t_before h1 r1 t_after opened alive suites limits
  rm -f "$flag"
  : >"$out"
  CMD[$name]="${CMD[$name]}${IDLE_ARGS[$name]:+ ${IDLE_ARGS[$name]}}"
  IDLE_ROW[$name]="${IDLE_PROPS[$name]:-}"
  if ! start_server "$name" "$IDLE_JVM_FLAGS${IDLE_PROPS[$name]:+ ${IDLE_PROPS[$name]}}"; then
    invalid "$name" idle "did not start: $START_ERROR"; return
  fi
  check_engine "$name"
  describe_server "$name"
  [ -z "$ENGINE_BAD" ] || invalid "$name" idle "$ENGINE_BAD"
  limits=$(grep -m1 '^limits:' "$WORK/$name.log" || true)
  R[$name,idle,limits]=${limits#limits: }
  h0=$(heap_kib); r0=$(rss_kib); t_before=$(os_threads)
  log "  before: heap $h0 KiB after a full GC, RSS $r0 KiB, $t_before threads"
  t0=$(date +%s)
  "$JAVA" "-Xmx$(idle_client_heap)" -XX:+UseParallelGC -cp "$BENCH_CP" dev.httpsd.benchmarks.IdleConnectionsClient \
    "$PORT" "$IDLE_N" "$IDLE_SOURCES" "$IDLE_OPENERS" "$IDLE_OPEN_LIMIT" $((IDLE_OPEN_LIMIT + 600)) "$flag" \
    "$IDLE_PROGRESS" >"$out" 2>&1 &
  IDLE_PID=$!
  # the client gives up at its own limit; this waits a minute longer for its verdict, then kills it
  local seen=0
  while :; do
    grep -q -E '^(open|failed) ' "$out" && break
    if ! kill -0 "$IDLE_PID" 2>/dev/null; then break; fi
    waited=$(($(date +%s) - t0))
    [ "$waited" -lt $((IDLE_OPEN_LIMIT + 60)) ] || break
    local now
    now=$(grep -c '^progress ' "$out" || true)
    if [ "$now" -gt "$seen" ]; then log "  $(grep '^progress ' "$out" | tail -1 | awk '{printf "%s connections open after %s s", $2, $3}')"; seen=$now; fi
    sleep 1
  done
  R[$name,idle,sources]=$(awk '/^sources / {print $2}' "$out")
  if ! grep -q '^open ' "$out"; then
    local why
    why=$(awk '/^failed / {sub(/^failed /, ""); print; exit}' "$out")
    [ -n "$why" ] || why="the client gave no verdict within $((IDLE_OPEN_LIMIT + 60)) s ($(grep -m1 -E 'Exception|Error' "$out" | cut -c1-200))"
    R[$name,idle,opened]=$(awk '/^opened / {print $2}' "$out")
    invalid "$name" idle "opened ${R[$name,idle,opened]:-?} of $IDLE_N: $why"
    kill "$IDLE_PID" 2>/dev/null || true; wait "$IDLE_PID" 2>/dev/null || true; IDLE_PID=
    stop_server; return
  fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    invalid "$name" idle "the server exited with the connections open ($(grep -m1 -iE 'error|exception' "$WORK/$name.log" | cut -c1-200))"
    kill "$IDLE_PID" 2>/dev/null || true; wait "$IDLE_PID" 2>/dev/null || true; IDLE_PID=
    stop_server; return
  fi
  R[$name,idle,open_s]=$(awk '/^open-seconds / {print $2}' "$out")
  R[$name,idle,client]=$(awk -v n="$IDLE_N" '/^client-heap-kib / {printf "%.1f", $2 / n}' "$out")
  h1=$(heap_kib); r1=$(rss_kib); t_after=$(os_threads)
  # virtual threads are in no OS count: the JDK's own thread dump lists them (jdk.trackAllThreads
  # is on by default), one "#TID "NAME" virtual" line each
  local dump=$WORK/$name.idle-threads.txt vthreads=
  rm -f "$dump"
  if "$JCMD" "$SERVER_PID" Thread.dump_to_file -format=text "$dump" >/dev/null 2>&1; then
    vthreads=$(grep -cE '^#[0-9]+ ".*" virtual' "$dump" || true)
  fi
  rm -f "$dump"
  sleep "${IDLE_HOLD:-0}"
  touch "$flag"
  # one more request on each connection: bounded by the client's socket timeouts; a minute per
  # 10,000 connections is far beyond what it takes
  for _ in $(seq 1 $((600 + IDLE_N * 600 / 10000))); do kill -0 "$IDLE_PID" 2>/dev/null || break; sleep 0.1; done
  kill "$IDLE_PID" 2>/dev/null || true; wait "$IDLE_PID" 2>/dev/null || true; IDLE_PID=
  opened=$(awk '/^open / {print $2}' "$out"); alive=$(awk '/^alive / {print $2}' "$out"); suites=$(awk '/^suites / {print $2}' "$out")
  R[$name,idle,opened]=$opened; R[$name,idle,alive]=${alive:-0}; R[$name,idle,suite]=${suites:-none}
  R[$name,idle,alive_s]=$(awk '/^alive-seconds / {print $2}' "$out")
  R[$name,idle]=$(awk -v a="$h0" -v b="$h1" -v n="$IDLE_N" 'BEGIN {printf "%.1f", (b - a) / n}')
  R[$name,idle,rss]=$(awk -v a="$r0" -v b="$r1" -v n="$IDLE_N" 'BEGIN {printf "%.1f", (b - a) / n}')
  R[$name,idle,threads]="$t_before → $t_after (${vthreads:-?} virtual)"
  R[$name,idle,raw]="heap $h0 → $h1 KiB, RSS $r0 → $r1 KiB"
  [ "$opened" = "$IDLE_N" ] || invalid "$name" idle "opened $opened of $IDLE_N connections"
  [ "${alive:-0}" = "$opened" ] || invalid "$name" idle "${alive:-0} of $opened connections still open after the measurement ($(awk '/^first-dead / {sub(/^first-dead /, ""); print; exit}' "$out" | cut -c1-200))"
  [ "$suites" = TLS_AES_128_GCM_SHA256 ] || invalid "$name" idle "negotiated ${suites:-nothing}"
  log "  idle: ${R[$name,idle]} KiB heap, ${R[$name,idle,rss]} KiB RSS per connection; threads ${R[$name,idle,threads]}; opened $opened in ${R[$name,idle,open_s]} s, $alive alive afterwards"
  stop_server
}

idle_connections() {
  IDLE_PROGRESS=10000
  [ "$MODE" != smoke ] || IDLE_PROGRESS=$(((IDLE_N + 3) / 4))
  build_all
  local name
  IDLE_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
  for name in "${ORDER[@]}"; do
    log "$name: $IDLE_N idle TLS connections"
    idle_run "$name"
  done
  idle_report
  local bad=0
  for name in "${ORDER[@]}"; do [ -z "${R[$name,idle,why]:-}" ] || bad=1; done
  return $bad
}

idle_report() {
  local result label name best= best_name= ours
  label=$IDLE_N; [ $((IDLE_N % 1000)) != 0 ] || label=$((IDLE_N / 1000))k
  if [ "$MODE" = full ]; then result=$BENCH/results/$RUN_DAY-idle-$label.md; else result=$WORK/$MODE-$RUN_DAY-idle-$label.md; fi
  for name in "${ORDER[@]}"; do
    [ "${ROLE[$name]}" = peer ] && valid "$name" idle || continue
    if [ -z "$best" ] || awk -v v="${R[$name,idle]}" -v b="$best" 'BEGIN {exit !(v < b)}'; then best=${R[$name,idle]}; best_name=$name; fi
  done
  {
    echo "# $IDLE_N idle TLS connections at once, $RUN_DAY"
    echo
    [ "$MODE" = full ] || { echo "**$MODE run: checks the harness, not the servers. Not a result.**"; echo; }
    echo "\`benchmarks/run.sh --idle-connections $IDLE_N ${ORDER[*]}\` (on demand, not in the default or extended runs; issue 21 item 4)."
    echo
    echo "Machine: $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2}'), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, kernel $(uname -r); 1-minute load when the measurements started, after the builds: ${IDLE_LOAD%% *} (all three: $IDLE_LOAD; the heap per connection after a full GC does not depend on it, the time to open does)."
    echo "JDK: $("$JAVA" -version 2>&1 | head -1). Open files per process: $IDLE_FDS (soft limit raised for the server and the client; hard limit $(ulimit -Hn)). Run time $((($(date +%s) - T_START) / 60)) min $((($(date +%s) - T_START) % 60)) s, builds included."
    echo "Server JVM flags: \`$IDLE_JVM_FLAGS\` (a heap for 100,000 connections of any server measured; scenario d's is 1 GiB). One server at a time on loopback."
    echo "Client: \`IdleConnectionsClient\`, JSSE, TLS 1.3 with \`TLS_AES_128_GCM_SHA256\` only; $IDLE_N connections $(if [ "$IDLE_SOURCES" = 1 ]; then echo "from 127.0.0.1 (one source address is enough below 20,000; the socket is not bound, as in d)"; else echo "from $IDLE_SOURCES loopback source addresses, 127.0.0.1 up to 127.0.0.$IDLE_SOURCES, bound before connecting (one address has ~28,000 ports towards one server port)"; fi), $IDLE_OPENERS opener threads, one \`GET /hello\` on each connection as it opens; at most $IDLE_OPEN_LIMIT s to open them all; client heap -Xmx$(idle_client_heap)."
    echo
    echo "| Server | Verdict | heap KiB per conn | RSS KiB per conn | threads: OS before → with the connections (virtual with them) | opened | alive afterwards | time to open s | suite |"
    echo "|---|---|--:|--:|---|--:|--:|--:|---|"
    for name in "${ORDER[@]}"; do
      printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" \
        "$(if [ -n "${R[$name,idle,why]:-}" ]; then echo "INVALID: ${R[$name,idle,why]}"; else echo valid; fi)" \
        "${R[$name,idle]:-—}" "${R[$name,idle,rss]:-—}" "${R[$name,idle,threads]:-—}" "${R[$name,idle,opened]:-—}" \
        "${R[$name,idle,alive]:-—}" "${R[$name,idle,open_s]:-—}" "${R[$name,idle,suite]:-—}"
    done
    echo
    for ours in "${ORDER[@]}"; do
      [ "${ROLE[$ours]}" = ours ] || continue
      if valid "$ours" idle && [ -n "$best" ]; then
        echo "Heap per idle connection, $ours ÷ best peer ($best_name): $(ratio "${R[$ours,idle]}" "$best") (issue 21 item 4's goal: ≤ 0.7×)."
      else
        echo "Heap per idle connection, $ours ÷ best peer: no ratio (an invalid row, or no valid peer in this run)."
      fi
    done
    echo
    echo "Heap: used after \`jcmd PID GC.run\` (\`GC.heap_info\`, young + old) with the connections open minus before they opened, ÷ N; RSS: VmRSS the same way (the heap is pre-touched, so this is native memory: sockets' buffers, stacks, code; noisy). Threads: the server process's OS threads (\`Threads:\` of /proc/PID/status) before and with the connections, and its virtual threads with them (\`jcmd PID Thread.dump_to_file -format=text\`, taken after the heap figure). A row is INVALID when fewer connections were opened than asked (the first failure stops the opening, and so does the time limit), fewer answered one more request each afterwards than were opened, a suite other than TLS_AES_128_GCM_SHA256 was negotiated, or the server did not start or did not report the TLS engine its row claims."
    echo
    echo "## Servers"
    echo
    for name in "${ORDER[@]}"; do
      echo "- **$name**: ${SETTINGS[$name]}."
      echo "  Raised for this measurement only: ${IDLE_LIMITS[$name]}.${R[$name,idle,limits]:+ The server reports: ${R[$name,idle,limits]}.}"
      echo "  TLS engine reported: ${ENGINE[$name]:-not started}; openssl s_client negotiated: ${SUITE[$name]:-—}. Client source addresses: ${R[$name,idle,sources]:-—}; ${R[$name,idle,raw]:-no figures}; the check of every connection afterwards took ${R[$name,idle,alive_s]:-—} s; the client's own heap after a full GC: ${R[$name,idle,client]:-—} KiB per connection."
      echo "  Command: \`$(report_command "${CMD[$name]}" | sed "s|$JVM_FLAGS|$IDLE_JVM_FLAGS${IDLE_ROW[$name]:+ ${IDLE_ROW[$name]}}|")\`"
    done
  } >"$result"
  redact "$result"
  cat "$result"
  log "written to ${result#"$ROOT"/}"
}

# --selftest's cases for this mode: the argument and limit checks (through --estimate, which checks
# them and builds nothing; the default N's verdict depends on the machine's open-files limit, so
# only its plan is checked), then two smoke runs of 300 connections from three source addresses:
# the control must be valid, and the self-test's server that closes idle connections must make
# its row invalid (fewer alive afterwards than opened).
selftest_idle() {
  local c args want_rc want out rc lines= ok=0
  for c in \
    "|0 1|idle connections: 100000 from 5 loopback source address\\(es\\).*servers: httpsd-core webflux" \
    "2000 tomcat jetty|0|server.tomcat.max-connections=3000" \
    "0|2|N must be a positive number, not '0'" \
    "-5|2|N must be a positive number, not '-5'" \
    "500 helidon|2|no known way to raise helidon's connection limits" \
    "5000000|1|INVALID: 5000000 connections need 5001000 open files in the server and in the client" \
    "6000000|2|at most 5080000 connections \\(254 loopback source addresses\\)"; do
    IFS='|' read -r args want_rc want <<<"$c"
    rc=0
    # shellcheck disable=SC2086
    out=$("$BENCH/run.sh" --estimate --idle-connections $args 2>&1) || rc=$?
    if [[ " $want_rc " == *" $rc "* ]] && grep -qE "$want" <<<"$out"; then
      lines+="     --idle-connections $args: exit $rc, /$want/"$'\n'
    else
      ok=1; lines+="     --idle-connections $args: exit $rc (expected $want_rc), /$want/ not in: $(tail -1 <<<"$out" | cut -c1-200)"$'\n'
    fi
  done
  if [ $ok = 0 ]; then SELFTEST_PASSED=$((SELFTEST_PASSED + 1)); echo "PASS --idle-connections arguments and limits"
  else SELFTEST_FAILED=$((SELFTEST_FAILED + 1)); echo "FAIL --idle-connections arguments and limits"; fi
  printf '%s' "$lines"
  selftest_idle_run "control: --idle-connections 300 from 3 source addresses" faulty 0 \
    '^\| faulty \| valid \| [0-9.]+ \| -?[0-9.]+ \| [0-9]+ → [0-9]+ \([0-9]+ virtual\) \| 300 \| 300 \|' \
    'Client source addresses: 127.0.0.1=100,127.0.0.2=100,127.0.0.3=100;'
  selftest_idle_run "idle connections dropped under --idle-connections" faulty-idle 1 \
    'idle: INVALID: [0-9]+ of 300 connections still open after the measurement'
}
selftest_idle_run() { # title server exit-status regex... (every one must match a line)
  local title=$1 server=$2 want_rc=$3 out rc=0 ok=0 want
  shift 3
  [[ $title == *${SELFTEST_ONLY:-}* ]] || return 0
  out=$(IDLE_HOLD=3 BENCH_IDLE_PER_SOURCE=100 "$BENCH/run.sh" --no-build --smoke --idle-connections 300 "$server" 2>&1) || rc=$?
  [ "$rc" = "$want_rc" ] || ok=1
  for want in "$@"; do grep -qE "$want" <<<"$out" || ok=1; done
  if [ $ok = 0 ]; then
    SELFTEST_PASSED=$((SELFTEST_PASSED + 1)); echo "PASS $title"
  else
    SELFTEST_FAILED=$((SELFTEST_FAILED + 1)); echo "FAIL $title (exit $rc, expected $want_rc and every one of: $*)"
  fi
  grep -E '^\| [a-z-]+ \| (valid|INVALID)|source addresses' <<<"$out" | cut -c1-300 | sed 's/^/     /' || true
}
