#!/usr/bin/env bash
# Installs what scripts/realbuild/build-and-test.sh needs to build a real PyO3
# extension offline: Debian's librust-pyo3-dev (PyO3 0.17.3 and its dependency
# crates under /usr/share/cargo/registry). Idempotent: does nothing when the
# package is already installed. Run as root.
set -euo pipefail

PKG=librust-pyo3-dev

if dpkg -s "$PKG" >/dev/null 2>&1; then
  echo "install: $PKG already installed ($(dpkg-query -W -f='${Version}' "$PKG")), skipping"
else
  echo "install: apt-get update"
  apt-get update -qq >/dev/null
  echo "install: apt-get install $PKG"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$PKG" >/dev/null
  echo "install: $PKG installed ($(dpkg-query -W -f='${Version}' "$PKG"))"
fi

if [ -d /usr/share/cargo/registry ] && ls -d /usr/share/cargo/registry/pyo3-0.17* >/dev/null 2>&1; then
  echo "install: crate registry OK: $(ls -d /usr/share/cargo/registry/pyo3-0.17* | head -1)"
else
  echo "install: crate registry /usr/share/cargo/registry has no pyo3-0.17.*" >&2
  exit 1
fi

for tool in cargo python3; do
  if command -v "$tool" >/dev/null 2>&1; then
    echo "install: $tool found: $(command -v "$tool")"
  else
    echo "install: $tool not found on PATH" >&2
    exit 1
  fi
done

if python3 -c 'import jinja2, pytest' >/dev/null 2>&1; then
  echo "install: python3 has jinja2 and pytest"
else
  echo "install: python3 lacks jinja2 or pytest" >&2
  exit 1
fi
