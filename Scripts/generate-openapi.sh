#!/usr/bin/env bash
# Generates, once, the Swift code of the OpenAPI documents this repository serves, with
# swift-openapi-generator 1.14.3: the test service (Tests/AioOpenAPITests/openapi.yaml) and the
# benchmark's (Benchmarks/e2e/openapi/openapi.yaml). The output is committed so that no build
# runs the plugin; run this again after changing a document.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q --branch 1.14.3 https://github.com/apple/swift-openapi-generator.git "$work/generator"
swift build --package-path "$work/generator" --product swift-openapi-generator
generator="$(swift build --package-path "$work/generator" --show-bin-path)/swift-openapi-generator"
generate() {  # generate DOCUMENT_DIRECTORY OUTPUT_DIRECTORY
    "$generator" generate "$1/openapi.yaml" --config "$1/openapi-generator-config.yaml" --output-directory "$2"
}
generate Tests/AioOpenAPITests Tests/AioOpenAPITests/Generated
generate Benchmarks/e2e/openapi Benchmarks/e2e/Sources/GreetAPI/Generated
