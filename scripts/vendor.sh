#!/usr/bin/env bash
# Copy the npm front-end packages into the package's static files (rdec/core/static/vendor/), with their
# licences and a record of what was copied (VENDORED.json). Run by `make setup` and by the wheel and sdist
# builds (setup.py), so that a built package carries the assets and no server needs npm.
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
# The licences travel with the copies (and so with every wheel and sdist).
for pkg in htmx.org leaflet swagger-ui-dist; do
  mkdir -p "$out/licenses/$pkg"
  for f in LICENSE NOTICE swagger-ui-bundle.js.LICENSE.txt swagger-ui-standalone-preset.js.LICENSE.txt; do
    [ -f "node_modules/$pkg/$f" ] && cp "node_modules/$pkg/$f" "$out/licenses/$pkg/"
  done
done
# What was vendored: package, version and licence from each package.json; the files copied; the hashes of
# package-lock.json and this script, by which the build (setup.py) sees that the copies are stale.
node - "$out" htmx.org leaflet swagger-ui-dist <<'JS' > "$out/VENDORED.json"
const fs = require("fs"), path = require("path"), crypto = require("crypto");
const [out, ...names] = process.argv.slice(2);
const sha256 = (f) => crypto.createHash("sha256").update(fs.readFileSync(f)).digest("hex");
const walk = (d) => fs.readdirSync(d, {withFileTypes: true}).flatMap((e) =>
  e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
const packages = {};
for (const name of names) {
  const p = JSON.parse(fs.readFileSync(`node_modules/${name}/package.json`, "utf8"));
  const repo = p.repository && (p.repository.url || p.repository);
  packages[name] = {version: p.version, license: p.license, homepage: p.homepage || repo || ""};
}
const files = walk(out).map((f) => path.relative(out, f).split(path.sep).join("/")).sort();
console.log(JSON.stringify({
  packages,
  files,
  "package-lock.json": sha256("package-lock.json"),
  "scripts/vendor.sh": sha256("scripts/vendor.sh"),
}, null, 2));
JS
echo "vendor assets in $out"
