#!/usr/bin/env bash
# Builds https-server-test/src/it/consumer, an application outside this build that depends only on
# the starter and https-server-test (test scope), and runs its tests: proof that a user can test an
# application the way README's "Testing your application" shows.
#
# The httpsd artifacts are installed into a temporary local repository, never into ~/.m2 (which
# other builds share); every other artifact is read from ~/.m2 through that repository's settings
# and, when missing there, from Maven Central. On demand (about 2 minutes), not part of mvn verify.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d -t httpsd-consumer-XXXXXX)"
trap 'rm -rf "$work"' EXIT

if [[ -z "${JAVA_HOME:-}" ]]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    [[ -x "$candidate/bin/java" ]] && export JAVA_HOME="$candidate" && break
  done
fi
command -v mvn >/dev/null || { echo "mvn is required" >&2; exit 2; }

# ~/.m2 as a read-only remote: the temporary repository takes what it needs from it (a local
# repository keeps no checksums of what it downloaded, hence the ignore policy)
cat > "$work/settings.xml" <<SETTINGS
<settings>
  <profiles>
    <profile>
      <id>shared-m2</id>
      <repositories>
        <repository>
          <id>shared-m2</id>
          <url>file://${HOME}/.m2/repository</url>
          <releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>
          <snapshots><enabled>false</enabled></snapshots>
        </repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository>
          <id>shared-m2</id>
          <url>file://${HOME}/.m2/repository</url>
          <releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>
          <snapshots><enabled>false</enabled></snapshots>
        </pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>shared-m2</activeProfile></activeProfiles>
</settings>
SETTINGS

repo="$work/repository"
echo "Installing the starter and https-server-test into $repo"
mvn -q -B -s "$work/settings.xml" -Dmaven.repo.local="$repo" -f "$root/pom.xml" \
  -pl https-server-starter,https-server-test -am install -DskipTests -Dspotless.check.skip=true

cp -r "$root/https-server-test/src/it/consumer" "$work/consumer"
echo "Building and testing the consumer application"
home="$work/home"
mkdir -p "$home"
# the consumer's tests run with their own home directory, so that a development certificate
# written there (which the test support must prevent) would be seen
mvn -B -s "$work/settings.xml" -Dmaven.repo.local="$repo" -f "$work/consumer/pom.xml" verify \
  -DargLine="-Duser.home=$home"
if [[ -e "$home/.httpsd" ]]; then
  echo "FAIL: the consumer's tests wrote $home/.httpsd" >&2
  exit 1
fi
echo "The consumer application tests itself with the starter and https-server-test only."
