#!/usr/bin/env bash
# Our PNG encoder against libpng's simplified writer (THIRD_PARTY.md, "Library or our own"): renders the
# contact sheet with the built m2f, compiles Sources/M2FFace/PNG.swift with bench/png_libpng.swift and
# prints one JSON line. Needs libpng-dev (not a dependency of m2f) and `make build`.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/png" "$tmp/zlib"
printf 'module CPNGBench [system] {\n    header "/usr/include/png.h"\n    link "png16"\n    export *\n}\n' >"$tmp/png/module.modulemap"
cp Sources/CZlib/module.modulemap Sources/CZlib/shim.h "$tmp/zlib/"
# PNG.write needs M2FFace's error type; the benchmark encodes to memory only.
sed '/public static func write(/,/^    }/d' Sources/M2FFace/PNG.swift >"$tmp/main.swift"
cat bench/png_libpng.swift >>"$tmp/main.swift"
swiftc -O -I "$tmp/png" -I "$tmp/zlib" "$tmp/main.swift" -o "$tmp/png_bench"
.build/release/m2f render --contact-sheet -o "$tmp/sheet.png" >/dev/null
"$tmp/png_bench" "$tmp/sheet.png"
