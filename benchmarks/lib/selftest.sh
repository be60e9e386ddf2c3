# Sourced by benchmarks/run.sh --selftest: each case breaks one thing on purpose (a fault of
# FaultyServer, or a client knob a normal run never touches), runs the scenarios it affects with
# smoke durations, and passes when the rule meant to catch it marks the row invalid. The control
# case, a server without faults, must break no rule (short windows on a busy machine may still
# disagree by more than the tolerance, so only that rule is allowed there).

# case NAME SERVER SCENARIOS EXPECTED-REGEX [KNOB=value ...]
selftest_case() {
  local title=$1 server=$2 scenarios=$3 expected=$4
  shift 4
  [[ $title == *${SELFTEST_ONLY:-}* ]] || return 0
  local verdicts
  verdicts=$(
    for knob in "$@"; do declare -g "$knob"; done
    ONLY=$scenarios
    [ "$SHIM" = on ] || SHIM_ENV=(env)
    sed -i "s|^Ciphersuites = .*|Ciphersuites = $CLIENT_SUITES|" "$CLIENT_CONF"
    R=(); SUITE=()
    run_server "$server" >&2
    for s in "${SCENARIOS[@]}"; do [ -n "${R[$server,$s,why]:-}" ] && echo "$s: ${R[$server,$s,why]}"; done
    true
  )
  sed -i "s|^Ciphersuites = .*|Ciphersuites = $CLIENT_SUITES|" "$CLIENT_CONF"
  local ok=1
  if [ "$expected" = NONE ]; then
    # the control: nothing but (possibly) unsteady short windows
    if ! grep -v -E '^[a-z]: windows not within ±[0-9]+ % of each other after [0-9]+ warm-up extensions \([0-9 ]+\)$' <<<"$verdicts" | grep -q .; then ok=0; fi
  elif grep -qE "$expected" <<<"$verdicts"; then
    ok=0
  fi
  if [ $ok = 0 ]; then SELFTEST_PASSED=$((SELFTEST_PASSED + 1)); echo "PASS $title"; else SELFTEST_FAILED=$((SELFTEST_FAILED + 1)); echo "FAIL $title (expected /$expected/)"; fi
  sed 's/^/     /' <<<"${verdicts:-(no rule fired)}"
}

# The steadiness rule's arithmetic, without a server: windows within ±TOLERANCE % of each other.
selftest_steady() {
  local verdict ok=0 lines=
  for windows in "1000 1049 1020:steady" "1000 1051:unsteady" "1000 1030 1060:unsteady" "0 0 0:unsteady"; do
    # shellcheck disable=SC2086
    if steady ${windows%:*}; then verdict=steady; else verdict=unsteady; fi
    [ "$verdict" = "${windows#*:}" ] || ok=1
    lines+="     ${windows%:*}: $verdict (expected ${windows#*:})"$'\n'
  done
  if [ $ok = 0 ]; then SELFTEST_PASSED=$((SELFTEST_PASSED + 1)); echo "PASS steadiness arithmetic (±$TOLERANCE %)"
  else SELFTEST_FAILED=$((SELFTEST_FAILED + 1)); echo "FAIL steadiness arithmetic (±$TOLERANCE %)"; fi
  printf '%s' "$lines"
}

# h2load's output read by h2_parse, without a server: a clean run, and one fault of each kind.
selftest_h2parse() {
  local ok=0 lines= head tail out expected c title req codes
  head=$'TLS Protocol: TLSv1.3\nCipher: TLS_AES_128_GCM_SHA256\nServer Temp Key: X25519 253 bits\nApplication protocol: h2\n\nfinished in 3.01s, 538.00 req/s, 20.87KB/s'
  tail=$'traffic: 62.62KB (64122) total, 14.90KB (15262) headers (space savings 90.64%), 18.91KB (19368) data\ntime for request:     1.01ms    679.19ms    106.01ms    121.13ms    87.36%'
  for c in \
    "clean|requests: 1614 total, 1694 started, 1614 done, 1614 succeeded, 0 failed, 0 errored, 0 timeout|status codes: 1614 2xx, 0 3xx, 0 4xx, 0 5xx|^$" \
    "failed|requests: 1614 total, 1694 started, 1614 done, 1610 succeeded, 4 failed, 0 errored, 0 timeout|status codes: 1610 2xx, 0 3xx, 0 4xx, 0 5xx|^4 failed requests$" \
    "5xx|requests: 1614 total, 1694 started, 1614 done, 1614 succeeded, 0 failed, 0 errored, 0 timeout|status codes: 1600 2xx, 0 3xx, 0 4xx, 14 5xx|^14 non-2xx responses" \
    "http/1.1|requests: 1614 total, 1694 started, 1614 done, 1614 succeeded, 0 failed, 0 errored, 0 timeout|status codes: 1614 2xx, 0 3xx, 0 4xx, 0 5xx|negotiated http/1.1, not h2$"; do
    IFS='|' read -r title req codes expected <<<"$c"
    out="$head"$'\n'"$req"$'\n'"$codes"$'\n'"$tail"
    [ "$title" != http/1.1 ] || out=${out/Application protocol: h2/Application protocol: http\/1.1}
    W_OUT=$out; h2_parse
    if [[ $W_FAULTS =~ $expected ]] && { [ "$title" != clean ] || { [ "$W_RPS" = 538 ] && [ "$W_BYTES" = 12 ] && [ "$W_MEAN" = 106.01ms ]; }; }; then
      lines+="     $title: '${W_FAULTS:-no fault}' ($W_RPS req/s, $W_BYTES bytes/response)"$'\n'
    else
      ok=1; lines+="     $title: '${W_FAULTS:-no fault}' ($W_RPS req/s, $W_BYTES bytes/response), expected /$expected/"$'\n'
    fi
  done
  if [ $ok = 0 ]; then SELFTEST_PASSED=$((SELFTEST_PASSED + 1)); echo "PASS h2load output parsing"
  else SELFTEST_FAILED=$((SELFTEST_FAILED + 1)); echo "FAIL h2load output parsing"; fi
  printf '%s' "$lines"
}

selftest() {
  SELFTEST_PASSED=0 SELFTEST_FAILED=0
  log "self-test: each case breaks one thing and expects its rule to fire"
  [[ "steadiness arithmetic" == *${SELFTEST_ONLY:-}* ]] && selftest_steady
  [[ "h2load output parsing" == *${SELFTEST_ONLY:-}* ]] && selftest_h2parse
  selftest_case "control: a correct server passes every rule" faulty abcd NONE
  selftest_case "non-2xx responses (every 50th is 500)" faulty-500 a 'non-2xx'
  selftest_case "socket errors (every 50th request reset)" faulty-reset a '[0-9]+ read errors'
  selftest_case "resumed handshakes in b (shim off)" faulty b 'b: .*handshakes were resumptions' SHIM=off
  selftest_case "an empty capture (filter matching nothing)" faulty b 'b: .*capture holds no ServerHello' 'CAPTURE_FILTER=tcp port 9'
  selftest_case "connections reused in b (Connection: close ignored)" faulty-keeps-alive b 'connections were reused'
  selftest_case "another suite offered and chosen" faulty-aes256 a 'client offered TLS_AES_.*server chose TLS_AES_256_GCM_SHA384' CLIENT_SUITES=TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256
  selftest_case "idle connections dropped in d" faulty-idle d 'd: .*still open after the measurement' IDLE_HOLD=3
  selftest_case "windows that disagree (throughput swings every second)" faulty-swing a 'not within ±5 %'
  selftest_case "a JSSE server in a row that claims OpenSSL" faulty-claims-openssl a 'TLS engine check'
  selftest_case "a server that does not start" faulty-broken a 'did not start'
  selftest_case "requests failing under scenario i's load (every 400th is 500)" faulty-i-500 i 'i: .*requests failed'
  selftest_case "connections closed under scenario i's load (every 400th reset)" faulty-i-reset i 'i: .*still open after the load'
  selftest_case "an AOT cache that training cannot write" faulty-aot e 'e: AOT cache training: no cache written'
  selftest_case "HTTP/1.1 negotiated in j (a server without h2 in ALPN)" faulty j 'j: .*negotiated http/1.1, not h2'
  # shellcheck source=idle-connections.sh
  . "$BENCH/lib/idle-connections.sh"
  [[ "--idle-connections" == *${SELFTEST_ONLY:-}* ]] && selftest_idle
  echo "selftest: $SELFTEST_PASSED passed, $SELFTEST_FAILED failed"
  [ "$SELFTEST_FAILED" = 0 ]
}
