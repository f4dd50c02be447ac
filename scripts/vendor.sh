#!/usr/bin/env bash
# Copy the npm front-end packages into the package's static files (rdec/core/static/vendor/).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules/htmx.org ] || npm ci --no-audit --no-fund --loglevel=error
out=rdec/core/static/vendor
rm -rf "$out" && mkdir -p "$out/leaflet" "$out/swagger-ui-dist"
cp node_modules/htmx.org/dist/htmx.min.js "$out/"
cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images "$out/leaflet/"
for f in swagger-ui.css swagger-ui-bundle.js swagger-ui-standalone-preset.js favicon-32x32.png; do
  cp "node_modules/swagger-ui-dist/$f" "$out/swagger-ui-dist/"
done
echo "vendor assets in $out"
