#!/usr/bin/env bash
# Re-vendor Chart.js and Leaflet from node_modules into vendor/ (run `npm ci` here first).
# Only vendor/ is shipped with the package; node_modules/ is never committed.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/leaflet ] || npm ci --no-audit --no-fund
mkdir -p vendor
# UMD builds (window.Chart, window.L) without their source-map comments: the .map files are not shipped.
sed '/^\/\/# sourceMappingURL=/d' node_modules/chart.js/dist/chart.umd.min.js > vendor/chart.umd.min.js
sed '/^\/\/# sourceMappingURL=/d' node_modules/leaflet/dist/leaflet.js > vendor/leaflet.js
cp node_modules/leaflet/dist/leaflet.css vendor/leaflet.css
# Chart.js and @kurkle/color (bundled inside the Chart.js UMD build) are MIT, Leaflet BSD-2-Clause.
cp node_modules/chart.js/LICENSE.md vendor/chart.js-LICENSE.md
cp node_modules/@kurkle/color/LICENSE.md vendor/kurkle-color-LICENSE.md
cp node_modules/leaflet/LICENSE vendor/leaflet-LICENSE.txt
echo "vendored chart.js $(node -p 'require("./node_modules/chart.js/package.json").version')," \
     "leaflet $(node -p 'require("./node_modules/leaflet/package.json").version')"
