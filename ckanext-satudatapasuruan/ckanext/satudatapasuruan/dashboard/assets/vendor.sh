#!/usr/bin/env bash
# Re-vendor Chart.js from node_modules into vendor/ (run `npm ci` here first).
# Only vendor/ is shipped with the package; node_modules/ is never committed.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/chart.js ] || npm ci --no-audit --no-fund
mkdir -p vendor
# The UMD build (window.Chart), without its source-map comment: the .map file is not shipped.
sed '/^\/\/# sourceMappingURL=/d' node_modules/chart.js/dist/chart.umd.min.js > vendor/chart.umd.min.js
# Chart.js and @kurkle/color (bundled inside the UMD build) are MIT licensed.
cp node_modules/chart.js/LICENSE.md vendor/chart.js-LICENSE.md
cp node_modules/@kurkle/color/LICENSE.md vendor/kurkle-color-LICENSE.md
echo "vendored chart.js $(node -p 'require("./node_modules/chart.js/package.json").version')"
