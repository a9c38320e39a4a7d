#!/usr/bin/env bash
# Builds the documentation into .build/docs/swift-aiohttp.doccarchive with the toolchain's docc:
# one archive per module (in dependency order, each linking to those before it), the snippets'
# symbol graph in every one, then merged. Fails on any DocC warning (an unresolved link, a missing
# snippet) and on a public symbol without a doc comment; prints the coverage.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."

# The toolchain's docc, next to the swift that runs here (DOCC overrides it).
resources=$(swift -print-target-info | python3 -c 'import json, sys; print(json.load(sys.stdin)["paths"]["runtimeResourcePath"])')
docc=${DOCC:-$resources/../../bin/docc}
[ -x "$docc" ] || { echo "docs: no docc at $docc (set DOCC)" >&2; exit 1; }
work=.build/docs-work
output=.build/docs
# Dependency order: a module's archive is built after those it links to.
modules=(AioWire AioStreams AioMultipart AioWebSocket AioClient AioServer AioWeb AioGateway AioOpenAPI AioTesting AioHTTP)
# The snippets that check what they show, run as part of the build.
checked_snippets=(HelloTests RoutingAndMiddlewares WebSocketEcho TestingAnApp RequestsAndResponses FormsAndMultipart Performance FromHummingbird)
rm -rf "$work" "$output"
mkdir -p "$work/archives" "$output"

# Every library's public symbol graph (builds the package, snippets included).
swift package dump-symbol-graph --emit-extension-block-symbols >/dev/null
graphs="$(dirname "$(swift build --show-bin-path)")/symbolgraph"

# The snippets' graph, from swift-docc-plugin's snippet-extract (the toolchain has none),
# built once into .build/docs-tools; users' builds never see the plugin.
tools=.build/docs-tools/swift-docc-plugin
if [ ! -f "$tools/Package.swift" ]; then
    rm -rf "$tools"
    git clone -q --branch 1.5.0 https://github.com/swiftlang/swift-docc-plugin.git "$tools"
fi
swift build -q --package-path "$tools" --product snippet-extract
mapfile -t snippet_files < <(find "$PWD/Snippets" -name '*.swift' | sort)
snippets="$work/swift-aiohttp-snippets.symbols.json"
if [ ${#snippet_files[@]} -gt 0 ]; then
    "$(swift build --package-path "$tools" --show-bin-path)/snippet-extract" \
        --output "$snippets" --module-name swift-aiohttp "${snippet_files[@]}"
fi

dependencies=()
for module in "${modules[@]}"; do
    directory="$work/graphs/$module"
    mkdir -p "$directory"
    cp "$graphs/$module.symbols.json" "$graphs/$module"@*.symbols.json "$directory/"
    [ -f "$snippets" ] && cp "$snippets" "$directory/"
    catalog=()
    [ -d "Sources/$module/$module.docc" ] && catalog=("Sources/$module/$module.docc")
    "$docc" convert ${catalog[@]+"${catalog[@]}"} --additional-symbol-graph-dir "$directory" \
        --fallback-display-name "$module" --fallback-bundle-identifier "$module" \
        --enable-experimental-external-link-support ${dependencies[@]+"${dependencies[@]}"} \
        --warnings-as-errors --output-path "$work/archives/$module.doccarchive" >"$work/$module.log" 2>&1 \
        || { cat "$work/$module.log" >&2; echo "docs: $module has DocC warnings (above)" >&2; exit 1; }
    dependencies+=(--dependency "$work/archives/$module.doccarchive")
done
for snippet in "${checked_snippets[@]}"; do
    swift build -q --product "$snippet"
    "$(swift build --show-bin-path)/$snippet"
done

"$docc" merge "$work"/archives/*.doccarchive --synthesized-landing-page-name swift-aiohttp \
    --synthesized-landing-page-kind Package --output-path "$output/swift-aiohttp.doccarchive" >/dev/null

# Doc comment coverage of the public symbols, from the same graphs: a comment written here
# (one with a source location), or a protocol requirement's shown for a witness that has none
# (Swift's `description`, `==`…); anything else fails the build.
python3 - "$graphs" "${modules[@]}" <<'EOF'
import glob, json, sys
directory, modules = sys.argv[1], sys.argv[2:]
own = witnesses = 0
missing = []
for module in modules:
    for path in glob.glob(f"{directory}/{module}.symbols.json") + glob.glob(f"{directory}/{module}@*.symbols.json"):
        graph = json.load(open(path))
        inherited = {r["source"] for r in graph["relationships"] if r.get("sourceOrigin")}
        for symbol in graph["symbols"]:
            if symbol["kind"]["identifier"] == "swift.extension":
                continue
            comment = symbol.get("docComment")
            if comment and "uri" in comment:
                own += 1
            elif comment or symbol["identifier"]["precise"] in inherited:
                witnesses += 1
            else:
                missing.append(module + ": " + "/".join(symbol["pathComponents"]))
print(f"docs: {own + witnesses + len(missing)} public symbols: {own} with a doc comment of their own, "
      f"{witnesses} protocol witnesses showing their requirement's, {len(missing)} without")
if missing:
    print("docs: without a doc comment:\n  " + "\n  ".join(sorted(missing)), file=sys.stderr)
    sys.exit(1)
EOF
echo "docs: .build/docs/swift-aiohttp.doccarchive"
