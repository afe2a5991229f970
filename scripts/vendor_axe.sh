#!/usr/bin/env bash
# Vendor axe-core (the accessibility checker the browser tests run on every page) into
# tests/browser/vendor/axe.min.js. Test-only: never served by the app.
#
# Usage: scripts/vendor_axe.sh                     (re-vendor, verify the checksum)
#        UPDATE_CHECKSUMS=1 scripts/vendor_axe.sh  (after a version bump)
set -euo pipefail

AXE_VERSION="4.10.3"
EXPECTED_SHA256="880970c081707360e64f34cea25ff91892f5bc95675b0776925b9709dd8a68bb  axe.min.js"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${repo_root}/tests/browser/vendor"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/vendor-axe.XXXXXX")"
trap 'rm -rf "${tmp}"' EXIT

(
  cd "${tmp}"
  printf '{"name":"vendor-axe","version":"0.0.0","private":true}\n' > package.json
  npm install --no-audit --no-fund --ignore-scripts --save-exact --loglevel=error \
    "axe-core@${AXE_VERSION}"
)
pkg="${tmp}/node_modules/axe-core"
got="$(node -p "require('${pkg}/package.json').version")"
[[ "${got}" == "${AXE_VERSION}" ]] || { echo "error: axe-core is ${got}" >&2; exit 1; }
mkdir -p "${dest}"
cp "${pkg}/axe.min.js" "${dest}/axe.min.js"
cp "${pkg}/LICENSE" "${dest}/LICENSE.axe-core.txt"
chmod 0644 "${dest}/axe.min.js"

sums="$(cd "${dest}" && sha256sum axe.min.js)"
if [[ -n "${UPDATE_CHECKSUMS:-}" ]]; then
  echo "==> new checksum (paste into EXPECTED_SHA256):"; echo "${sums}"
elif [[ "${EXPECTED_SHA256}" != "${sums}" ]]; then
  echo "error: checksum differs from EXPECTED_SHA256: ${sums}" >&2; exit 1
else
  echo "==> checksum OK"
fi
