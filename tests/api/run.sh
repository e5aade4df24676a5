#!/usr/bin/env bash
# CI test of the Java API as a Maven user meets it (README: "Java API"):
#   1. `mvn install` puts a plain jar into the local repository (gdchaos's own classes and resources,
#      no dependency shaded in) with a pom that declares the runtime dependencies; the fat CLI jar
#      target/gdchaos.jar is still built beside it;
#   2. a separate project that declares only org.gdchaos:gdchaos gets its class path from Maven,
#      compiles examples/*.java against it with javac and runs both programs;
#   3. `mvn javadoc:javadoc` builds (doclint errors fail it).
# Environment: API_MVN_OPTS (default "-B -ntp"; "-B -o -q" offline), MAVEN_REPO (default ~/.m2/repository).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
t0=$(date +%s)
fail() { echo "api test: FAIL: $*" >&2; exit 1; }
read -r -a mvn_opts <<< "${API_MVN_OPTS:--B -ntp}"
repo=${MAVEN_REPO:-$HOME/.m2/repository}
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n1)
[ -n "$version" ] || fail "no project version in pom.xml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== api: mvn install ($version)"
mvn "${mvn_opts[@]}" -DskipTests install
art="$repo/org/gdchaos/gdchaos/$version"
jar tf "$art/gdchaos-$version.jar" > "$work/entries"
foreign=$(grep -v -e '^org/gdchaos/' -e '^META-INF/' "$work/entries" | grep -v '/$' || true)
[ -z "$foreign" ] || fail "the installed jar holds classes of other projects (shaded?): $(echo "$foreign" | head -n3)"
grep -q '^org/gdchaos/api/Sweep.class$' "$work/entries" || fail "the installed jar lacks org/gdchaos/api/Sweep.class"
for dep in picocli jackson-databind xchart jocl jcuda jcublas; do
  grep -q "<artifactId>$dep</artifactId>" "$art/gdchaos-$version.pom" || fail "the installed pom does not declare $dep"
done
jar tf target/gdchaos.jar | grep -q '^picocli/CommandLine.class$' || fail "target/gdchaos.jar is not the fat CLI jar"

echo "== api: a project that depends on org.gdchaos:gdchaos:$version"
cat > "$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>uses-gdchaos</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.gdchaos</groupId>
      <artifactId>gdchaos</artifactId>
      <version>$version</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>3.8.1</version>
      </plugin>
    </plugins>
  </build>
</project>
POM
mvn "${mvn_opts[@]}" -f "$work/pom.xml" dependency:build-classpath -Dmdep.outputFile="$work/cp.txt"
cp=$(cat "$work/cp.txt")
case ":$cp:" in *"/gdchaos-$version.jar:"*) ;; *) fail "the class path Maven built lacks gdchaos-$version.jar: $cp" ;; esac
javac --add-modules jdk.incubator.vector -cp "$cp" -d "$work/classes" examples/*.java
run() { java --add-modules jdk.incubator.vector -Djava.awt.headless=true -cp "$work/classes:$cp" "$@" 2>&1; }
out=$(run SweepFromCode java) || fail "SweepFromCode failed: $out"
echo "$out"
[ "$(echo "$out" | grep -c '\[')" -eq 4 ] || fail "SweepFromCode printed no λ1 line per learning rate"
out=$(run BatchedGemm) || fail "BatchedGemm failed: $out"
echo "$out"
[ "$(echo "$out" | tail -n1)" = OK ] || fail "BatchedGemm did not end with OK"

echo "== api: mvn javadoc:javadoc"
mvn "${mvn_opts[@]}" javadoc:javadoc
echo "api test: OK ($(( $(date +%s) - t0 )) s)"
