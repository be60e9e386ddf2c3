#!/usr/bin/env bash
# TLS posture scan: starts the sample application with its default configuration (secure mode,
# development certificate) on a free loopback port, runs testssl.sh against it and fails (exit 1)
# on any finding other than OK and INFO that the allow-list below does not name by id AND text, and
# on any check testssl.sh could not run (WARN, FATAL, scanProblem: exit 2, the scan proves nothing).
#
# Usage: scripts/tls-scan.sh            (from anywhere; needs root or sudo to install testssl.sh and jq)
#        scripts/tls-scan.sh --check FILE   judges a testssl.sh JSON report already made (no scan)
# The report goes to target/tls-scan/: testssl.json (every check), testssl.txt, sample.log and
# summary.txt (what this script printed).
#
# Not part of `mvn verify`: the scan takes one to a few minutes and needs the testssl.sh package.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

# Findings that come from the sample's development setup, not from the server's TLS
# configuration: its self-signed development certificate (a real deployment configures a CA-issued
# one) and its HSTS max-age of an hour (HSTS covers every port of a host, and the sample's host is
# localhost; the default max-age is 365 days). Each entry: the exact testssl.sh id (before any " <hostCert#n>" suffix), a regular expression
# the whole finding text must match, and the reason it is unavoidable here. A finding under an
# allowed id whose text says anything else fails the scan.
ALLOWED=(
  $'cert_chain_of_trust\tfailed \\(self signed\\)\\.?\tthe development certificate is self-signed: no CA chain can be verified'
  $'cert_revocation\tNeither CRL nor OCSP URI provided\ta self-signed development certificate has no CA to publish a CRL or run OCSP'
  $'HSTS_time\tmax-age too short\\. 0 days \\(=3600 seconds\\) < 15552000 seconds\tthe sample sets https-server.hsts.max-age=1h on purpose: HSTS for localhost would force HTTPS on every local development server'
)

judge() {
  local JSON=$1 WORK
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/tls-scan-judge.XXXXXX")
  allowed_json=$(printf '%s\n' "${ALLOWED[@]}" \
    | jq -R 'split("\t") | {id: .[0], pattern: .[1], reason: .[2]}' | jq -s .)
  # testssl.sh suffixes per-certificate ids (cert_trust <hostCert#1>): compare the bare id; the
  # finding must match the pattern as a whole
  jq --argjson allowed "$allowed_json" '
    map(. + {base: (.id | sub(" .*$"; ""))})
    | map(. as $f | . + {reason: (first($allowed[] | select(. as $a | $a.id == $f.base
        and ($f.finding | test("^(" + $a.pattern + ")$"))) | .reason) // null)})' "$JSON" >"$WORK/findings.json"

  total=$(jq 'length' "$WORK/findings.json")
  echo
  echo "tls-scan: $total checks; by severity:"
  jq -r 'group_by(.severity) | map("  \(.[0].severity): \(length)") | .[]' "$WORK/findings.json"

  problems=$(jq -r '.[] | select(.severity == "WARN" or .severity == "FATAL" or .id == "scanProblem")
    | "  \(.severity)  \(.id): \(.finding)"' "$WORK/findings.json")
  if [ -n "$problems" ]; then
    echo
    echo "tls-scan: FAILED: checks testssl.sh could not run, so the scan proves nothing:"
    echo "$problems"
    rm -rf "$WORK"; return 2
  fi

  allowed_hits=$(jq -r '.[] | select(.reason != null and (.severity | IN("OK","INFO") | not))
    | "  \(.severity)  \(.id): \(.finding)\n        reason: \(.reason)"' "$WORK/findings.json")
  if [ -n "$allowed_hits" ]; then
    echo
    echo "tls-scan: allowed (the sample's development setup, not server configuration):"
    echo "$allowed_hits"
  fi

  failing=$(jq -r '.[] | select(.reason == null and (.severity | IN("OK","INFO") | not))
    | "  \(.severity)  \(.id): \(.finding)"' "$WORK/findings.json")
  if [ -n "$failing" ]; then
    echo
    echo "tls-scan: FAILED: findings rated LOW or above that the allow-list does not name (id and text):"
    echo "$failing"
    rm -rf "$WORK"; return 1
  fi
  echo
  echo "tls-scan: PASSED: $total checks, every one OK or INFO apart from $(jq '[.[] | select(.reason != null and (.severity | IN("OK","INFO") | not))] | length' "$WORK/findings.json") allow-listed findings of the sample's development setup"
  rm -rf "$WORK"
}

CHECK_ONLY=
if [ "${1:-}" = --check ]; then
  CHECK_ONLY=${2:?"usage: $0 --check testssl.json"}
  [ -s "$CHECK_ONLY" ] || { echo "tls-scan: no report at $CHECK_ONLY" >&2; exit 2; }
  command -v jq >/dev/null 2>&1 || { echo "tls-scan: jq is needed" >&2; exit 2; }
  judge "$CHECK_ONLY"
  exit $?
fi

if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
need=()
if ! command -v testssl >/dev/null 2>&1 && ! command -v testssl.sh >/dev/null 2>&1; then
  need+=(testssl.sh)
fi
command -v jq >/dev/null 2>&1 || need+=(jq)
if [ ${#need[@]} -gt 0 ]; then
  echo "tls-scan: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Debian installs the script as `testssl`; upstream calls it `testssl.sh`
TESTSSL=$(command -v testssl || command -v testssl.sh)

if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  for jdk in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*21*; do
    if [ -x "$jdk/bin/java" ]; then export JAVA_HOME="$jdk"; break; fi
  done
fi
JAVA="$JAVA_HOME/bin/java"

REPORT="$ROOT/target/tls-scan"
rm -rf "$REPORT"
mkdir -p "$REPORT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tls-scan.XXXXXX")
SAMPLE_PID=
cleanup() {
  if [ -n "$SAMPLE_PID" ] && kill -0 "$SAMPLE_PID" 2>/dev/null; then
    kill "$SAMPLE_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SAMPLE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SAMPLE_PID" 2>/dev/null || true
  fi
  for file in testssl.json testssl.txt sample.log; do
    [ -f "$WORK/$file" ] && cp "$WORK/$file" "$REPORT/"
  done
  rm -rf "$WORK"
  echo "tls-scan: report in $REPORT"
}
trap cleanup EXIT INT TERM
# everything printed from here on is kept as the report's summary too
exec > >(tee "$REPORT/summary.txt") 2>&1

echo "tls-scan: building the sample application"
# the sample binds Spring Boot's repackage goal: its jar is executable
mvn -q -B -pl sample-app -am package -DskipTests
JAR=$(ls "$ROOT"/sample-app/target/sample-app-*.jar | head -n 1)

# Port 0 for both listeners: a port probed free beforehand can still be taken (by another
# process's outgoing connection) when the sample binds it. The sample logs the port it bound.
echo "tls-scan: starting the sample on 127.0.0.1, free ports"
"$JAVA" -jar "$JAR" \
  --https-server.address=127.0.0.1 \
  --https-server.port-secure=0 \
  --management.server.port=0 \
  --https-server.ssl.dev-certificate.directory="$WORK/dev-certificate" \
  >"$WORK/sample.log" 2>&1 &
SAMPLE_PID=$!

ready=
PORT=
for _ in $(seq 1 120); do
  if ! kill -0 "$SAMPLE_PID" 2>/dev/null; then break; fi
  if [ -z "$PORT" ]; then
    PORT=$(grep -oE 'httpsd serving HTTPS on port [0-9]+' "$WORK/sample.log" | head -n 1 | grep -oE '[0-9]+$' || true)
  fi
  if [ -n "$PORT" ] && curl -sk --max-time 2 -o /dev/null "https://127.0.0.1:$PORT/"; then ready=1; break; fi
  sleep 0.5
done
if [ -z "$ready" ]; then
  echo "tls-scan: the sample did not answer within 60 s; its log:" >&2
  cat "$WORK/sample.log" >&2
  exit 2
fi
echo "tls-scan: the sample serves https://127.0.0.1:$PORT"

TESTSSL_VERSION=$("$TESTSSL" --version 2>/dev/null | grep -oE 'testssl(\.sh)? +[0-9][^ ]*' | head -n 1 | tr -s ' ' || true)
echo "tls-scan: running ${TESTSSL_VERSION:-testssl.sh} against 127.0.0.1:$PORT"
JSON="$WORK/testssl.json"
# run from the work directory: testssl.sh prints the git revision of the directory it runs in
(
  cd "$WORK"
  "$TESTSSL" --quiet --color 0 --warnings off --nodns min --ip 127.0.0.1 \
    --openssl-timeout 10 --jsonfile "$JSON" "localhost:$PORT" >"$WORK/testssl.txt" 2>&1
) || true # testssl.sh exits non-zero for findings too: the JSON report is what decides
if [ ! -s "$JSON" ]; then
  echo "tls-scan: testssl.sh produced no JSON report; its output:" >&2
  cat "$WORK/testssl.txt" >&2
  exit 2
fi

judge "$JSON"
