#!/usr/bin/env bash
# Vendor the GraphiQL browser build (and the React 18 UMD builds it needs) into
# accr_graph/static/graphiql/, so the GraphQL IDE works offline and under a
# strict CSP (script-src 'self') without any CDN.
#
# Usage: scripts/vendor_graphiql.sh            (re-vendor, verify checksums)
#        UPDATE_CHECKSUMS=1 scripts/vendor_graphiql.sh   (after a version bump)
#
# Needs: node + npm with access to the npm registry. Nothing is installed into
# the repository: `npm install` runs in a throw-away temp dir and only the
# prebuilt, minified files shipped inside the pinned packages are copied.
#
# Why graphiql 3.x: it is the last major whose UMD build (graphiql.min.js, a
# plain <script> global `GraphiQL`) is supported; 4.x still ships it but marks
# it deprecated, and 5.x ships ESM only (needs a bundler / import maps + Monaco
# workers). React is pinned to 18 because React 19 no longer ships UMD builds.
#
# The hand-written init.js and page.css in the same folder are NOT touched by
# this script.
set -euo pipefail

GRAPHIQL_VERSION="3.9.0"
REACT_VERSION="18.3.1"
REACT_DOM_VERSION="18.3.1"
# graphql is only installed to satisfy graphiql's peer dependency and to take its
# licence text; graphiql.min.js bundles its own copy of graphql-js (16.9.0 for
# graphiql 3.9.0), so nothing is copied from this package.
GRAPHQL_VERSION="16.9.0"

# sha256 of the copied files for the versions above (checked after copying).
EXPECTED_SHA256="
d949f1c3687aedadcedac85261865f29b17cd273997e7f6b2bfc53b2f9d4c4dd  react.production.min.js
35f4f974f4b2bcd44da73963347f8952e341f83909e4498227d4e26b98f66f0d  react-dom.production.min.js
a330a2be1d2389486840a9d0a834767d9083a23f105879e0de54e4fce83d3513  graphiql.min.js
bdddd50aac5bdb0edd83e5c862ba2fed9db2964e4c75d4655ab62b0a7d5bd730  graphiql.min.css
"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${repo_root}/accr_graph/static/graphiql"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/vendor-graphiql.XXXXXX")"
cleanup() { rm -rf "${tmp}"; }
trap cleanup EXIT

echo "==> npm install in ${tmp}"
(
  cd "${tmp}"
  printf '{"name":"vendor-graphiql","version":"0.0.0","private":true}\n' > package.json
  npm install --no-audit --no-fund --ignore-scripts --save-exact --loglevel=error \
    "graphiql@${GRAPHIQL_VERSION}" \
    "react@${REACT_VERSION}" \
    "react-dom@${REACT_DOM_VERSION}" \
    "graphql@${GRAPHQL_VERSION}"
)
nm="${tmp}/node_modules"

# Fail loudly if npm resolved anything other than the pinned versions.
check_version() {
  local pkg="$1" want="$2" got
  got="$(node -p "require('${nm}/${pkg}/package.json').version")"
  if [[ "${got}" != "${want}" ]]; then
    echo "error: ${pkg} is ${got}, expected ${want}" >&2
    exit 1
  fi
}
check_version graphiql "${GRAPHIQL_VERSION}"
check_version react "${REACT_VERSION}"
check_version react-dom "${REACT_DOM_VERSION}"

# source (inside node_modules) -> file name in accr_graph/static/graphiql/
files=(
  "react/umd/react.production.min.js:react.production.min.js"
  "react-dom/umd/react-dom.production.min.js:react-dom.production.min.js"
  "graphiql/graphiql.min.js:graphiql.min.js"
  "graphiql/graphiql.min.css:graphiql.min.css"
)

mkdir -p "${dest}"
for entry in "${files[@]}"; do
  src="${nm}/${entry%%:*}"
  out="${dest}/${entry##*:}"
  if [[ ! -f "${src}" ]]; then
    echo "error: ${entry%%:*} is not shipped by the pinned package" >&2
    exit 1
  fi
  cp "${src}" "${out}"
  chmod 0644 "${out}"
done

# Licence / notice file: names, versions, licences and the full licence texts
# of the packages whose files are copied, plus the third-party packages that
# the graphiql.min.js bundle contains (as resolved from graphiql's own
# dependency tree for the pinned version).
node - "${nm}" "${dest}/THIRD_PARTY_NOTICES.txt" \
  "${GRAPHIQL_VERSION}" "${REACT_VERSION}" "${REACT_DOM_VERSION}" <<'NODE'
const fs = require('fs');
const path = require('path');
const [nm, out, gqlV, reactV, reactDomV] = process.argv.slice(2);

const pkgJson = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
const licenceOf = (p) =>
  typeof p.license === 'string' ? p.license
  : p.license && p.license.type ? p.license.type
  : Array.isArray(p.licenses) ? p.licenses.map((l) => l.type || l).join(' OR ')
  : 'UNKNOWN';
const licenceText = (dir) => {
  const f = fs.readdirSync(dir).find((n) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(n));
  return f ? fs.readFileSync(path.join(dir, f), 'utf8').trim() : '(no licence file shipped in the package)';
};

// Walk graphiql's runtime dependencies (node_modules is flat after npm install).
const seen = new Map();
const walk = (name) => {
  if (seen.has(name) || ['react', 'react-dom', 'graphql'].includes(name)) return;
  if (name.startsWith('@types/')) return; // type definitions only, not bundled code
  const dir = path.join(nm, name);
  if (!fs.existsSync(dir)) return;
  const p = pkgJson(dir);
  seen.set(name, { version: p.version, licence: licenceOf(p) });
  for (const dep of Object.keys(p.dependencies || {})) walk(dep);
};
walk('graphiql');
seen.delete('graphiql');
const gqlJs = pkgJson(path.join(nm, 'graphql'));

const copied = [
  ['graphiql', gqlV, ['graphiql.min.js', 'graphiql.min.css']],
  ['react', reactV, ['react.production.min.js']],
  ['react-dom', reactDomV, ['react-dom.production.min.js']],
];

let s = '';
s += 'Third-party software vendored in accr_graph/static/graphiql/\n';
s += 'Generated by scripts/vendor_graphiql.sh -- do not edit by hand.\n';
s += 'Files are copied unmodified from the npm packages listed below.\n';
s += 'init.js in this folder is part of ACCR Graph (MIT), not third-party code.\n\n';
s += '== Copied packages ==\n';
for (const [name, v, files] of copied) {
  const p = pkgJson(path.join(nm, name));
  s += `${name}@${v}  licence: ${licenceOf(p)}  files: ${files.join(', ')}\n`;
}
s += '\n== Bundled inside graphiql.min.js / graphiql.min.css ==\n';
s += '(graphiql\'s runtime dependency tree for the pinned version; the upstream\n';
s += ' bundle was built from these packages, exact patch versions may differ)\n';
s += `graphql@${gqlJs.version}  licence: ${licenceOf(gqlJs)}  (graphql-js; peer dependency, bundled)\n`;
for (const [name, info] of [...seen.entries()].sort()) {
  s += `${name}@${info.version}  licence: ${info.licence}\n`;
}
s += '\n== Scheduler ==\n';
s += 'react-dom.production.min.js (UMD) includes the "scheduler" package (MIT, Meta Platforms, Inc.).\n';
for (const [name, v] of copied) {
  s += `\n\n==================== ${name}@${v} licence text ====================\n\n`;
  s += licenceText(path.join(nm, name)) + '\n';
}
s += `\n\n==================== graphql@${gqlJs.version} licence text ====================\n\n`;
s += licenceText(path.join(nm, 'graphql')) + '\n';
fs.writeFileSync(out, s);
NODE

echo "==> vendored files in ${dest#"${repo_root}/"}"
sums="$(cd "${dest}" && sha256sum react.production.min.js react-dom.production.min.js \
  graphiql.min.js graphiql.min.css)"
for f in react.production.min.js react-dom.production.min.js graphiql.min.js \
  graphiql.min.css THIRD_PARTY_NOTICES.txt init.js page.css; do
  if [[ -f "${dest}/${f}" ]]; then
    printf '%10d  %s\n' "$(wc -c < "${dest}/${f}")" "${f}"
  fi
done

if [[ -n "${UPDATE_CHECKSUMS:-}" ]]; then
  echo "==> new checksums (paste into EXPECTED_SHA256):"
  echo "${sums}"
elif [[ "$(echo "${EXPECTED_SHA256}" | sed '/^$/d')" != "${sums}" ]]; then
  echo "error: checksums differ from EXPECTED_SHA256:" >&2
  echo "${sums}" >&2
  exit 1
else
  echo "==> checksums OK"
fi
