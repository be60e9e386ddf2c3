# Sourced by benchmarks/run.sh: writes the results file from R, SUITE, ENGINE, HEADERS.

valid() { [ -n "${R[$1,$2]:-}" ] && [ -z "${R[$1,$2,why]:-}" ]; }

# The best valid figure among servers of a role for a scenario: "value name", or nothing.
best_of() { # scenario role
  local s=$1 role=$2 dir=${BETTER[$1]} name best= who=
  for name in "${ORDER[@]}"; do
    [ "${ROLE[$name]}" = "$role" ] && valid "$name" "$s" || continue
    if [ -z "$best" ] || awk -v v="${R[$name,$s]}" -v b="$best" -v d="$dir" 'BEGIN {exit !((d == "max") ? v > b : v < b)}'; then
      best=${R[$name,$s]}; who=$name
    fi
  done
  [ -n "$best" ] && echo "$best $who"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f×", a / b}'; }

cell() { # name scenario: the summary's cell
  local name=$1 s=$2 v=${R[$1,$2]:-}
  if [ -z "$v" ] && [ -z "${R[$name,$s,why]:-}" ]; then echo "—"; return; fi
  [ -n "$v" ] || v="no figure"
  [ -n "${R[$name,$s,detail]:-}" ] && v="$v (${R[$name,$s,detail]})"
  if [ -n "${R[$name,$s,why]:-}" ]; then echo "~~$v~~ INVALID"; else echo "$v"; fi
}

ratio_cell() { # ours scenario role
  local ours=$1 s=$2 best
  best=$(best_of "$s" "$3")
  if valid "$ours" "$s" && [ -n "$best" ]; then echo "$(ratio "${R[$ours,$s]}" "${best% *}") ${best#* }"; else echo "—"; fi
}

write_report() {
  local result name s scenarios=() elapsed roles=()
  for s in "${SCENARIOS[@]}"; do [ -n "${BETTER[$s]}" ] && want "$s" && scenarios+=("$s"); done
  case $MODE in
    full) result=$BENCH/results/$RUN_DAY.md ;;
    *) result=$WORK/$MODE-$RUN_DAY.md ;;
  esac
  elapsed=$(( $(date +%s) - T_START ))
  {
    echo "# httpsd benchmark results, $RUN_DAY"
    echo
    [ "$MODE" = full ] || { echo "**$MODE run: windows of a second or two check the harness, not the servers. Not a result.**"; echo; }
    echo "Machine: $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2}'), $(nproc) cores, kernel $(uname -r)."
    echo "JDK: $("$JAVA" -version 2>&1 | head -1). Load: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), $(openssl version), $(tshark --version 2>/dev/null | head -1 | cut -d' ' -f1-3)$(want j && command -v h2load >/dev/null && echo ", $(h2load --version 2>/dev/null | head -1)")."
    echo "Client TLS offer (wrk, curl, openssl s_client through OPENSSL_CONF; IdleClient through JSSE): TLS 1.3 only, \`$CLIENT_SUITES\`."
    echo "Server JVM flags: \`$JVM_FLAGS\` (startup: \`$STARTUP_FLAGS\`). One server at a time on loopback; the load generator shares the cores."
    echo "Run time $((elapsed / 60)) min $((elapsed % 60)) s, of which $EXTENSIONS_USED s were warm-up extensions (at most $MAX_EXTENSIONS per row, $EXT_MAX s in all); estimated beforehand $((${EST:-0} / 60)) min $((${EST:-0} % 60)) s plus extensions. $(if [ "${PARTIAL:-0}" = 1 ]; then echo "Partial run (--only or named servers): not the default run."; elif [ "${EXTENDED:-0}" = 1 ]; then echo "Extended run (--extended)."; else echo "Default run (benchmarks/README.md lists what --extended adds)."; fi)"
    echo
    echo "## Summary"
    echo
    echo "Struck-through figures are invalid rows (the reasons are under Rows); ratios use valid rows only."
    echo
    printf '| Server | TLS engine |'; for s in "${scenarios[@]}"; do printf ' %s |' "${TITLE[$s]}"; done; echo
    printf '|---|---|'; for s in "${scenarios[@]}"; do printf -- '--:|'; done; echo
    for name in "${ORDER[@]}"; do
      [ "${ROLE[$name]}" = events ] && continue
      printf '| %s | %s |' "$name" "${ENGINE[$name]:-—}"
      for s in "${scenarios[@]}"; do printf ' %s |' "$(cell "$name" "$s")"; done; echo
    done
    for name in "${ORDER[@]}"; do
      case ${ROLE[$name]} in
        ours) roles=(peer peer-openssl) ;;
        ours-observed) roles=(peer-observed) ;;
        ours-h2) roles=(peer-h2) ;;
        *) continue ;;
      esac
      for role in "${roles[@]}"; do
        local any=
        for s in "${scenarios[@]}"; do [ -n "$(best_of "$s" "$role")" ] && any=1; done
        [ -n "$any" ] || continue
        printf '| **%s ÷ best %s** | |' "$name" "$(case $role in peer) echo "default peer" ;; peer-openssl) echo "OpenSSL peer" ;; peer-h2) echo "HTTP/2 peer" ;; *) echo "observed peer" ;; esac)"
        for s in "${scenarios[@]}"; do printf ' %s |' "$(ratio_cell "$name" "$s" "$role")"; done; echo
      done
    done
    echo
    echo "Targets (issue 21, ratios to the best default peer): b ≥ 1.5 (and ≥ 1.1 × the OpenSSL peers), c ≥ 1.2, a ≥ 1.2, d ≤ 0.7; e: starter ≤ 0.4 × tomcat, core ≤ 0.8 × jdk."
    echo "Target (issue 18): g, httpsd-starter ≥ 1.2 × the better of tomcat and webflux (the peers that serve g)." 
    echo "Target (issue 23): j, httpsd over HTTP/2 ≥ 1.2 × the best of jetty-h2, webflux-h2 and tomcat-h2."
    for pair in "httpsd-starter tomcat" "httpsd-core jdk" "httpsd-starter-aot tomcat" "httpsd-starter-aot tomcat-aot" \
      "httpsd-core-aot jdk" "httpsd-core-aot jdk-aot"; do
      read -r a b <<<"$pair"
      if valid "$a" e && valid "$b" e; then echo "Startup: $a ÷ $b = $(ratio "${R[$a,e]}" "${R[$b,e]}")."; fi
    done
    if [ -n "${R[httpsd-starter-events,fon]:-}" ]; then
      echo
      echo "f: event bridge — the starter under scenario a's load with an @EventListener for every server event:"
      echo "${R[httpsd-starter-events,fon]} req/s; the same JVM with that listener switched off, in the windows just before and after: ${R[httpsd-starter-events,foff]} req/s;"
      echo "cost ${R[httpsd-starter-events,fcost]:-?}% (target ≤ 5%; the median of the measured windows' costs: ${R[httpsd-starter-events,f,detail]:-})$(valid httpsd-starter-events f || echo ", INVALID: ${R[httpsd-starter-events,f,why]:-}")."
      echo "Windows (req/s, alternating without and with (+) the listener; the measured ones in brackets): ${R[httpsd-starter-events,f,win]}."
    fi
    echo
    echo "## Rows"
    echo
    echo "Windows: every window's requests/s in order (c: MiB/s); the measured ones in brackets, those before them extended the warm-up."
    echo "Suite: what the server chose in the row's verification capture (a, b, c, g, h, j), on the idle client's connections (d, i), or for openssl s_client (e, f)."
    echo
    echo "| Server | Scenario | Figure | Verdict | Suite | Windows | Checks |"
    echo "|---|---|--:|---|---|---|---|"
    for name in "${ORDER[@]}"; do
      for s in "${SCENARIOS[@]}"; do
        [ -n "${R[$name,$s]:-}${R[$name,$s,why]:-}" ] || continue
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$s" "${R[$name,$s]:-—}" \
          "$(if [ -n "${R[$name,$s,why]:-}" ]; then echo "INVALID: ${R[$name,$s,why]}"; else echo valid; fi)" \
          "${R[$name,$s,suite]:-—}" "${R[$name,$s,win]:-—}" "${R[$name,$s,hellos]:-}"
      done
    done
    echo
    echo "## Servers"
    echo
    echo "Each row's settings (everything that is not the server's default, and why), the TLS engine as the running server reported it, and its command."
    echo
    for name in "${ORDER[@]}"; do
      echo "- **$name**: ${SETTINGS[$name]}."
      echo "  TLS engine reported: ${ENGINE[$name]:-not started}${EXPECT[$name]:+ (required to match \`${EXPECT[$name]}\`)}; openssl s_client negotiated: ${SUITE[$name]:-—}."
      echo "  Command: \`$(report_command "${CMD[$name]}")\`"
    done
    echo
    echo "## Response headers"
    echo
    echo "\`curl -sk -D- -o /dev/null https://127.0.0.1:PORT/hello\` for each server:"
    echo
    for name in "${ORDER[@]}"; do
      [ -n "${HEADERS[$name]:-}" ] || continue
      echo "$name:"
      echo '```'
      echo "${HEADERS[$name]}" | grep -v '^$'
      echo '```'
    done
    echo
    echo "## Rules and commands"
    echo
    echo "A row is INVALID when any wrk run of it (warm-up, window or verification) reports a socket error or a non-2xx/3xx response, or reads fewer bytes per response than the body (within wrk's 1 % rounding);"
    echo "when the verification window's status check finds a non-2xx or short response; when the verification capture holds no ServerHello, the client offered anything but"
    echo "TLS_AES_128_GCM_SHA256 or the server chose anything else; in b, when a ServerHello accepted a pre-shared key or there were fewer than 9 handshakes per 10 requests;"
    echo "in d, when fewer connections were opened than asked, or fewer were alive afterwards than opened;"
    echo "in i, when fewer connections were opened than asked, a request failed or got anything but a complete 200, fewer were alive afterwards, another suite was negotiated, the server's GC log lacks the marks, or fewer than 95 % of the target responses/s were served between the marks;"
    echo "in j, when h2load reports a failed, errored or timed-out request or a response other than 2xx, or negotiated another application protocol than h2 (every run: warm-up, windows, verification);"
    echo "in f, when the two windows without the listener around any measured window with it are not within ±$TOLERANCE % of each other after at most $MAX_EXTENSIONS extensions (one pair of windows each);"
    echo "in e's *-aot rows, when the training run writes no AOT cache or the JVM cannot use it (-XX:AOTMode=on); when the last $WINDOWS windows are not within ±$TOLERANCE % of each other"
    echo "after at most $MAX_EXTENSIONS one-window warm-up extensions; when the server does not start, or its TLS engine does not match its row's claim."
    echo
    echo "- a: \`wrk -t2 -c50 -d${WARM_A}s https://127.0.0.1:PORT/hello\` (warm-up), then \`wrk -t2 -c50 -d${WIN_A}s --latency …/hello\` windows"
    echo "- b: \`LD_PRELOAD=noresume.so wrk -t2 -c16 -d${WARM_B}s -H 'Connection: close' …/hello\` (warm-up), then -d${WIN_B}s windows"
    echo "- c: \`wrk -t2 -c8 -d${WARM_C}s 'https://127.0.0.1:PORT/bytes?n=1048576'\` (warm-up), then -d${WIN_C}s windows"
    echo "- verification (a, b, c, the warm-up's last ${VERIFY} s, before the measured windows): the same wrk command for ${VERIFY}s with \`-s status.lua\`, while \`tshark -i lo -f 'tcp port PORT and tcp[((tcp[12:1] & 0xf0) >> 2):1] = 0x16'\` captures the segments that start a TLS handshake record"
    echo "- d: a fresh server; \`jcmd PID GC.run\` + \`GC.heap_info\` and VmRSS before and after \`java dev.httpsd.benchmarks.IdleClient PORT $IDLE 300 FLAG\`; afterwards the client makes one more request on every connection"
    echo "- e: JVM launch (startup flags) to the first 200 from \`curl -k https://127.0.0.1:PORT/hello\`, median of $STARTS"
    echo "- e, *-aot rows: first a training run (the row's command with \`-XX:AOTCacheOutput=NAME.aot\`, 20 \`curl\` requests on new connections, \`wrk -t1 -c4 -d2s …/hello\`, SIGTERM), then the measured launches with \`-XX:AOTCache=NAME.aot -XX:AOTMode=on\`; the Spring rows also with \`-Dspring.aot.enabled=true\` (build-time AOT processing)"
    echo "- i: a fresh server; \`jcmd PID VM.log what=gc,gc+heap=info\`; \`jcmd PID GC.run\` (+ VmRSS) before \`java dev.httpsd.benchmarks.ActiveClient PORT $ACTIVE $ACTIVE_RATE …\` opens $ACTIVE keep-alive TLS connections and requests \`/hello\` on them at $ACTIVE_RATE/s in all, again after ${WARM_I} s of that load (A) and ${WIN_I} s later (B); heap = used after A and B's full GCs (mean) minus before, per 1,000 connections; allocation per request = the heap's growth between consecutive GCs from A to B ÷ responses between A and B"
    echo "- g: \`wrk -t2 -c50 -d${WARM_A}s https://127.0.0.1:PORT/api/greetings/bench\` (warm-up), then \`wrk -t2 -c50 -d${WIN_SPRING}s --latency …/api/greetings/bench\` windows; only the servers with a JSON endpoint through a Spring binding layer (httpsd-starter, tomcat, webflux and their variants)"
    echo "- f: the events server; \`curl …/listen?on=true\`, \`wrk -t2 -c50 -d${WARM_A}s …/hello\` (warm-up), then -d${WIN_SPRING}s windows alternating \`/listen?on=false\` and \`on=true\`, starting and ending without the listener; the cost of a window with it is 1 − its rate ÷ the mean of the two around it"
    echo "- j: \`LD_PRELOAD=tls13only.so h2load -t2 -c50 -m10 --tls13-ciphers=$CLIENT_SUITES -n N https://127.0.0.1:PORT/hello\`: warm-up runs for ${WARM_J} s, each N sized from the previous run's rate to last ~${WIN_J} s, the last ~${VERIFY} s a verification run captured as in a (h2load counts every status itself); then windows of one N (the last warm-up rate × ${WIN_J} s); the server's SETTINGS read once with \`nghttp -nv …/hello\`"
    echo "- h: a's commands on the observed servers (Actuator, Prometheus registry, OpenTelemetry tracing bridge on the class path, Boot's defaults), in -d${WIN_SPRING}s windows"
  } >"$result"
  redact "$result"
  cat "$result"
  log "written to ${result#"$ROOT"/}"
}

# Results carry no path of the machine they ran on: known prefixes are rewritten, and anything
# still looking like an absolute path is reported and masked.
redact() {
  local file=$1
  sed -i -e "s|$WORK/||g" -e "s|$ROOT/||g" -e "s|$ROOT|.|g" -e "s|$JDK|<jdk>|g" -e "s|$HOME|~|g" "$file"
  if grep -qE '(^|[ (`"=:])/(usr|root|home|work|tmp|opt|var|srv|mnt)/' "$file"; then
    log "warning: masking absolute paths left in the results: $(grep -oE '(^|[ (`"=:])/(usr|root|home|work|tmp|opt|var|srv|mnt)/[^ `]*' "$file" | head -3 | xargs)"
    sed -i -E 's#(^|[ (`"=:])/(usr|root|home|work|tmp|opt|var|srv|mnt)/[^ `)"]*#\1<path>#g' "$file"
  fi
}
