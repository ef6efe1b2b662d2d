# Shared by ops scripts: finds the wmstream application jar, building it first when it is missing or older than
# any source. Source it; it defines wmstream_jar, which prints the jar's path (or exits 1 when it cannot build).

WMSTREAM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# The newest shaded jar, if any.
_wmstream_find_jar() {
    ls -t "$WMSTREAM_ROOT"/src/target/wmstream-app-*-all.jar 2>/dev/null | head -n 1
}

# True when some file that goes into the jar is newer than it: poms, main sources and resources, the bundled model.
_wmstream_stale() {
    local jar="$1" paths=()
    local p
    for p in pom.xml schemas/pom.xml schemas/src/main model-runtime/pom.xml model-runtime/src/main \
             model-runtime/models topology/pom.xml topology/src/main src/pom.xml src/main; do
        [ -e "$WMSTREAM_ROOT/$p" ] && paths+=("$WMSTREAM_ROOT/$p")
    done
    [ -n "$(find "${paths[@]}" -newer "$jar" -type f -print -quit 2>/dev/null)" ]
}

wmstream_jar() {
    # WMSTREAM_JAR pins a jar (tests, images): use it as it is, never build.
    if [ -n "${WMSTREAM_JAR:-}" ]; then
        printf '%s\n' "$WMSTREAM_JAR"
        return 0
    fi
    local jar
    jar="$(_wmstream_find_jar)"
    if [ -z "$jar" ] || _wmstream_stale "$jar"; then
        if ! command -v mvn >/dev/null 2>&1; then
            echo "wmstream: Maven (mvn) is needed to build wmstream; install it or set WMSTREAM_JAR" >&2
            return 1
        fi
        echo "building wmstream..." >&2
        local log
        log="$(mktemp "${TMPDIR:-/tmp}/wmstream-build.XXXXXX")"
        if ! (cd "$WMSTREAM_ROOT" && mvn -q -B -Dstyle.color=never -DskipTests -pl src -am package) >"$log" 2>&1; then
            tail -n 40 "$log" | sed "s/\x1b\[[0-9;]*m//g" >&2
            echo "wmstream: the build failed (full log: $log)" >&2
            return 1
        fi
        rm -f "$log"
        jar="$(_wmstream_find_jar)"
        # Maven keeps an unchanged jar's old timestamp; touch it so the next run does not build again.
        touch "$jar"
    fi
    printf '%s\n' "$jar"
}

wmstream_java() {
    if ! command -v java >/dev/null 2>&1; then
        echo "wmstream: Java 17 or newer is needed (java not found on PATH)" >&2
        return 1
    fi
}
