#!/usr/bin/env bash
# Generates the Swift code of the OpenAPI test service (Tests/AioOpenAPITests/openapi.yaml) once,
# with swift-openapi-generator 1.14.3; the output is committed so that no build runs the plugin.
# Run it again after changing the document.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q --branch 1.14.3 https://github.com/apple/swift-openapi-generator.git "$work/generator"
swift build --package-path "$work/generator" --product swift-openapi-generator
"$(swift build --package-path "$work/generator" --show-bin-path)/swift-openapi-generator" generate \
    Tests/AioOpenAPITests/openapi.yaml \
    --config Tests/AioOpenAPITests/openapi-generator-config.yaml \
    --output-directory Tests/AioOpenAPITests/Generated
