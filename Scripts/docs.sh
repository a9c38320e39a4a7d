#!/usr/bin/env bash
# Builds the documentation into .build/docs/swift-aiohttp.doccarchive with the toolchain's docc:
# one archive per module (in dependency order, each linking to those before it), the snippets'
# symbol graph in every one, then merged. Fails on any DocC warning (an unresolved link, a missing
# snippet) and prints how many public symbols have a doc comment.
set -euo pipefail
cd "$(dirname "$0")/.."

docc=$(dirname "$(readlink -f "$(command -v swift)")")/docc
work=.build/docs-work
output=.build/docs
# Dependency order: a module's archive is built after those it links to.
modules=(AioWire AioStreams AioMultipart AioWebSocket AioClient AioServer AioWeb AioGateway AioOpenAPI AioTesting AioHTTP)
rm -rf "$work" "$output"
mkdir -p "$work/archives" "$output"

# Every library's public symbol graph (builds the package, snippets included).
swift package dump-symbol-graph --emit-extension-block-symbols >/dev/null
graphs="$(dirname "$(swift build --show-bin-path)")/symbolgraph"

# The snippets' graph, from swift-docc-plugin's snippet-extract (the toolchain has none),
# built once into .build/docs-tools; users' builds never see the plugin.
tools=.build/docs-tools/swift-docc-plugin
[ -d "$tools" ] || git clone -q --depth 1 --branch 1.5.0 https://github.com/swiftlang/swift-docc-plugin.git "$tools"
swift build -q --package-path "$tools" --product snippet-extract
snippets="$work/swift-aiohttp-snippets.symbols.json"
"$(swift build --package-path "$tools" --show-bin-path)/snippet-extract" \
    --output "$snippets" --module-name swift-aiohttp $(find "$PWD/Snippets" -name '*.swift' | sort)

dependencies=()
for module in "${modules[@]}"; do
    directory="$work/graphs/$module"
    mkdir -p "$directory"
    cp "$graphs/$module.symbols.json" "$directory/"
    cp "$graphs/$module"@*.symbols.json "$directory/" 2>/dev/null || true
    cp "$snippets" "$directory/"
    catalog=()
    [ -d "Sources/$module/$module.docc" ] && catalog=("Sources/$module/$module.docc")
    "$docc" convert "${catalog[@]}" --additional-symbol-graph-dir "$directory" \
        --fallback-display-name "$module" --fallback-bundle-identifier "$module" \
        --enable-experimental-external-link-support "${dependencies[@]}" \
        --warnings-as-errors --output-path "$work/archives/$module.doccarchive" >"$work/$module.log" 2>&1 \
        || { cat "$work/$module.log" >&2; echo "docs: $module has DocC warnings (above)" >&2; exit 1; }
    dependencies+=(--dependency "$work/archives/$module.doccarchive")
done
# A snippet that checks what it shows runs too.
"$(swift build --show-bin-path)/HelloTests"

"$docc" merge "$work"/archives/*.doccarchive --synthesized-landing-page-name swift-aiohttp \
    --synthesized-landing-page-kind Package --output-path "$output/swift-aiohttp.doccarchive" >/dev/null

# Doc comment coverage of the public symbols, from the same graphs. A protocol requirement's
# witness without a comment of its own shows the requirement's: counted apart.
python3 - "$graphs" "${modules[@]}" <<'EOF'
import glob, json, sys
directory, modules = sys.argv[1], sys.argv[2:]
total = documented = witnesses = 0
missing = []
for module in modules:
    for path in glob.glob(f"{directory}/{module}.symbols.json") + glob.glob(f"{directory}/{module}@*.symbols.json"):
        graph = json.load(open(path))
        inherited = {r["source"] for r in graph["relationships"] if r.get("sourceOrigin")}
        for symbol in graph["symbols"]:
            if symbol["kind"]["identifier"] == "swift.extension":
                continue
            if symbol.get("docComment"):
                total += 1
                documented += 1
            elif symbol["identifier"]["precise"] in inherited:
                witnesses += 1
            else:
                total += 1
                missing.append(module + ": " + "/".join(symbol["pathComponents"]))
print(f"docs: {documented} of {total} public symbols have a doc comment ({100 * documented / max(total, 1):.1f}%); "
      f"{witnesses} protocol witnesses show their requirement's")
if missing:
    print("docs: without a doc comment:\n  " + "\n  ".join(sorted(missing)))
EOF
echo "docs: .build/docs/swift-aiohttp.doccarchive"
