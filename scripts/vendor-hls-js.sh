#!/usr/bin/env bash
# Re-fetch the pinned hls.js (light build: HLS without subtitles/DRM) from the npm
# registry into the media app's static files, with its licence. Run by hand when
# upgrading; nothing runs npm at build or run time.
#   scripts/vendor-hls-js.sh            # the pinned version below
#   HLS_JS_VERSION=1.7.5 scripts/vendor-hls-js.sh
set -euo pipefail
VERSION=${HLS_JS_VERSION:-1.7.4}
cd "$(dirname "$0")/.."
command -v npm >/dev/null || { echo "npm is needed to fetch hls.js" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "hls.js@$VERSION" >/dev/null && tar xzf "hls.js-$VERSION.tgz")
dest=src/clipcontest/media/static/media/vendor/hls.js
mkdir -p "$dest"
# The source map is not shipped: drop its reference (the manifest storage would look for it).
grep -v '^//# sourceMappingURL=' "$tmp/package/dist/hls.light.min.js" >"$dest/hls.light.min.js"
cp "$tmp/package/LICENSE" "$dest/LICENSE"
echo "hls.js $VERSION (npm: hls.js@$VERSION, dist/hls.light.min.js)" >"$dest/VERSION"
echo "hls.js $VERSION vendored into $dest"
