#!/usr/bin/env bash
# Vendor htmx (progressive enhancement of the member pages) into accr_graph/static/vendor/,
# so the pages work offline and under script-src 'self'. Every page also works without it.
#
# Usage: scripts/vendor_htmx.sh                     (re-vendor, verify the checksum)
#        UPDATE_CHECKSUMS=1 scripts/vendor_htmx.sh  (after a version bump)
#
# Needs: npm with access to the npm registry; `npm install` runs in a throw-away temp dir.
set -euo pipefail

HTMX_VERSION="2.0.11"
EXPECTED_SHA256="d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717  htmx.min.js"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${repo_root}/accr_graph/static/vendor"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/vendor-htmx.XXXXXX")"
trap 'rm -rf "${tmp}"' EXIT

(
  cd "${tmp}"
  printf '{"name":"vendor-htmx","version":"0.0.0","private":true}\n' > package.json
  npm install --no-audit --no-fund --ignore-scripts --save-exact --loglevel=error \
    "htmx.org@${HTMX_VERSION}"
)
pkg="${tmp}/node_modules/htmx.org"
got="$(node -p "require('${pkg}/package.json').version")"
[[ "${got}" == "${HTMX_VERSION}" ]] || { echo "error: htmx.org is ${got}" >&2; exit 1; }
mkdir -p "${dest}"
cp "${pkg}/dist/htmx.min.js" "${dest}/htmx.min.js"
chmod 0644 "${dest}/htmx.min.js"
{
  echo "htmx.min.js is htmx.org@${HTMX_VERSION}/dist/htmx.min.js, unmodified  licence: $(node -p "require('${pkg}/package.json').license")"
  echo "(vendored by scripts/vendor_htmx.sh)"
  echo
  cat "${pkg}/LICENSE"
} > "${dest}/THIRD_PARTY_NOTICES.htmx.txt"

sums="$(cd "${dest}" && sha256sum htmx.min.js)"
if [[ -n "${UPDATE_CHECKSUMS:-}" ]]; then
  echo "==> new checksum (paste into EXPECTED_SHA256):"; echo "${sums}"
elif [[ "${EXPECTED_SHA256}" != "${sums}" ]]; then
  echo "error: checksum differs from EXPECTED_SHA256: ${sums}" >&2; exit 1
else
  echo "==> checksum OK"
fi
