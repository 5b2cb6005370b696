#!/usr/bin/env bash
# build-and-test.sh — build a PyO3 workspace in the seed's layout for real, import it, test it.
#
# Usage:
#   scripts/realbuild/build-and-test.sh WORKSPACE [BACKEND...]
#
#   WORKSPACE  a project in the seed's layout:
#                .angreal/templates/backend_cargo.toml.j2      -> cloaca-backend/Cargo.toml
#                .angreal/templates/backend_pyproject.toml.j2  -> cloaca-backend/pyproject.toml
#                cloaca-backend/src/...                         the PyO3 crate (PyO3 0.17 API)
#                cloaca-backend/python/cloaca_{{backend}}/      wrapper package template(s)
#                cloaca/src/cloaca/__init__.py                  dispatcher package
#                python-tests/                                  pytest suite ("import cloaca")
#   BACKEND    backends to build, one after the other (default: postgres sqlite)
#
# For each backend, in a fresh temporary copy of WORKSPACE (WORKSPACE itself is never
# written to; the copy is removed on exit):
#   render  Jinja2 (backend=<BACKEND>, StrictUndefined) renders both .j2 templates into the
#           crate dir and every `{{...}}`-named folder under cloaca-backend/python/ into its
#           rendered name (e.g. python/cloaca_sqlite/__init__.py)
#   build   writes cloaca-backend/.cargo/config.toml (crates-io -> /usr/share/cargo/registry,
#           offline), runs `cargo build --release --features <BACKEND>` with
#           CARGO_TARGET_DIR=$BINDINGS_CHECKLIST_CACHE/realbuild-target, then, as maturin would,
#           copies lib<[lib] name>.so to python/<module-name>/<module-name><EXT_SUFFIX>
#           (module-name from [tool.maturin], falling back to the [lib] name; a dotted
#           module-name a.b goes to python/a/b<EXT_SUFFIX>)
#   import  imports the wrapper package (first segment of module-name), then `cloaca`, each
#           also as `from X import *` (so an __all__ entry naming a missing symbol fails too),
#           with PYTHONPATH=<copy>/cloaca-backend/python:<copy>/cloaca/src
#   pytest  python -m pytest -q <copy>/python-tests with the same PYTHONPATH (runs even when
#           import failed, so the failing tests show; skipped only when build failed)
#
# Output (stable, one line per stage, greppable):
#   realbuild <BACKEND> <STAGE> PASS|FAIL|SKIP [(seconds)] [: detail]
#       | log excerpt lines (only after FAIL)
#   realbuild result PASS
#   realbuild result FAIL <BACKEND>:<STAGE> ...
# The detail of a FAIL is the error itself: the first `error...` lines of cargo, the last line
# of the import traceback (e.g. "ImportError: cannot import name 'HelloClass' from ..."), the
# pytest summary line; the excerpt lists pytest's "FAILED ..." lines.
#
# Exit status: 0 every stage of every backend passed; 1 some stage failed; 2 usage error or
# missing prerequisites (run scripts/realbuild/install.sh).
#
# Environment:
#   BINDINGS_CHECKLIST_CACHE  cache folder (default ~/.cache/pyo3-bindings-checklist); the cargo
#                             target dir is shared there: PyO3 and its dependencies compile once
#                             (about 20 s), later runs only recompile the crate (about 1.5 s per
#                             backend; the copy's files get fresh mtimes on purpose, so a stale
#                             library is never reused). Runs sharing a cache serialise their
#                             build+copy step on $BINDINGS_CHECKLIST_CACHE/realbuild.lock.
#   PYTHON                    interpreter to build for and test with (default python3)
#   REALBUILD_LOG_DIR         if set, each backend's render/build/import/pytest logs are copied
#                             to $REALBUILD_LOG_DIR/<BACKEND>/<stage>.log
#   REALBUILD_KEEP=1          keep the temporary copy (its path is printed)
set -uo pipefail

usage() {
  sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}

die() {
  echo "realbuild error: $*" >&2
  exit 2
}

[ $# -ge 1 ] || usage
case "$1" in -h|--help) usage ;; esac

WORKSPACE=$1
shift
[ -d "$WORKSPACE" ] || die "workspace '$WORKSPACE' is not a directory"
WORKSPACE=$(cd "$WORKSPACE" && pwd)
if [ $# -gt 0 ]; then BACKENDS=("$@"); else BACKENDS=(postgres sqlite); fi
for b in "${BACKENDS[@]}"; do
  [[ "$b" =~ ^[A-Za-z0-9_]+$ ]] || die "invalid backend name '$b'"
done

for f in .angreal/templates/backend_cargo.toml.j2 .angreal/templates/backend_pyproject.toml.j2 \
         cloaca-backend/src cloaca-backend/python cloaca/src python-tests; do
  [ -e "$WORKSPACE/$f" ] || die "workspace lacks $f"
done

REGISTRY=/usr/share/cargo/registry
compgen -G "$REGISTRY/pyo3-0.17*" >/dev/null || die "no PyO3 0.17 under $REGISTRY: run scripts/realbuild/install.sh"
command -v cargo >/dev/null || die "cargo not found"
PYTHON=${PYTHON:-python3}
PYEXE=$("$PYTHON" -c 'import sys; print(sys.executable)' 2>/dev/null) || die "cannot run $PYTHON"
"$PYEXE" -c 'import jinja2, pytest' 2>/dev/null || die "$PYEXE lacks jinja2 or pytest"
EXT_SUFFIX=$("$PYEXE" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')

CACHE=${BINDINGS_CHECKLIST_CACHE:-$HOME/.cache/pyo3-bindings-checklist}
TARGET_DIR=$CACHE/realbuild-target
mkdir -p "$TARGET_DIR" || die "cannot create $TARGET_DIR"
LOCK=$CACHE/realbuild.lock

TMP=$(mktemp -d "${TMPDIR:-/tmp}/realbuild.XXXXXX") || die "mktemp failed"
cleanup() {
  if [ "${REALBUILD_KEEP:-}" = 1 ]; then
    echo "realbuild kept $TMP"
  else
    rm -rf "$TMP"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export PYTHONDONTWRITEBYTECODE=1 PYTHONNOUSERSITE=1 CARGO_TERM_COLOR=never CARGO_TERM_PROGRESS_WHEN=never
export PYO3_PYTHON=$PYEXE

FAILED=()

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

# report BACKEND STAGE STATUS [SECONDS] [DETAIL]
report() {
  local line="realbuild $1 $2 $3"
  [ -n "${4:-}" ] && line+=" ($4)"
  [ -n "${5:-}" ] && line+=": $5"
  echo "$line"
  [ "$3" = FAIL ] && FAILED+=("$1:$2")
  return 0
}

excerpt() { sed 's/^/    | /'; }

# Renders the templates of the copy at $1 for backend $2; prints "<lib name> <module-name>".
render() {
  "$PYEXE" - "$1" "$2" <<'PY'
import shutil, sys, tomllib
from pathlib import Path
from jinja2 import Environment, FileSystemLoader, StrictUndefined

root, backend = Path(sys.argv[1]), sys.argv[2]
crate = root / "cloaca-backend"
templates = root / ".angreal" / "templates"
env = Environment(loader=FileSystemLoader(str(templates)), undefined=StrictUndefined,
                  keep_trailing_newline=True)
plain = Environment(undefined=StrictUndefined, keep_trailing_newline=True)

for name, out in (("backend_cargo.toml.j2", "Cargo.toml"), ("backend_pyproject.toml.j2", "pyproject.toml")):
    (crate / out).write_text(env.get_template(name).render(backend=backend))

python_dir = crate / "python"
for tpl in sorted(p for p in python_dir.iterdir() if p.is_dir() and "{{" in p.name):
    target = python_dir / plain.from_string(tpl.name).render(backend=backend)
    for src in sorted(tpl.rglob("*")):
        dst = target / src.relative_to(tpl)
        if src.is_dir():
            dst.mkdir(parents=True, exist_ok=True)
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            text = src.read_text()
        except UnicodeDecodeError:
            shutil.copy2(src, dst)
            continue
        dst.write_text(plain.from_string(text).render(backend=backend))
    shutil.rmtree(tpl)

cargo = tomllib.loads((crate / "Cargo.toml").read_text())
pyproject = tomllib.loads((crate / "pyproject.toml").read_text())
lib = cargo.get("lib", {}).get("name") or cargo["package"]["name"].replace("-", "_")
module = pyproject.get("tool", {}).get("maturin", {}).get("module-name") or lib
print(lib, module)
PY
}

run_backend() {
  local backend=$1
  local copy=$TMP/$backend logs=$TMP/logs/$backend t lib module detail
  mkdir -p "$copy" "$logs"
  tar -C "$WORKSPACE" --exclude=./.git --exclude=./cloaca-backend/target -cf - . | tar -C "$copy" -xmf -
  local crate=$copy/cloaca-backend

  # render
  t=$(now)
  if read -r lib module < <(render "$copy" "$backend" 2>"$logs/render.log") && [ -n "${module:-}" ]; then
    report "$backend" render PASS "$(elapsed "$t")" "lib $lib, module-name $module"
  else
    report "$backend" render FAIL "$(elapsed "$t")" "$(tail -n 1 "$logs/render.log")"
    tail -n 15 "$logs/render.log" | excerpt
    report "$backend" build SKIP; report "$backend" import SKIP; report "$backend" pytest SKIP
    return
  fi

  # build
  mkdir -p "$crate/.cargo"
  cat >"$crate/.cargo/config.toml" <<EOF
[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "$REGISTRY"

[net]
offline = true
EOF
  local so_dir so_name
  if [[ "$module" == *.* ]]; then
    so_dir=$crate/python/${module%.*}; so_dir=${so_dir//.//}; so_name=${module##*.}
  elif [ -d "$crate/python/$module" ]; then
    so_dir=$crate/python/$module; so_name=$module
  else
    so_dir=$crate/python; so_name=$module
  fi
  t=$(now)
  if (
    flock 9
    cd "$crate" &&
      CARGO_TARGET_DIR=$TARGET_DIR cargo build --release --features "$backend" &&
      mkdir -p "$so_dir" &&
      cp "$TARGET_DIR/release/lib$lib.so" "$so_dir/$so_name$EXT_SUFFIX"
  ) 9>"$LOCK" >"$logs/build.log" 2>&1; then
    report "$backend" build PASS "$(elapsed "$t")" "${so_dir#"$crate/"}/$so_name$EXT_SUFFIX"
  else
    detail=$(grep -m 1 -E '^(error|cp:)' "$logs/build.log")
    report "$backend" build FAIL "$(elapsed "$t")" "${detail:-$(tail -n 1 "$logs/build.log")}"
    { grep -E -A 6 '^error' "$logs/build.log" || tail -n 20 "$logs/build.log"; } | head -n 40 | excerpt
    report "$backend" import SKIP; report "$backend" pytest SKIP
    return
  fi

  local pypath=$crate/python:$copy/cloaca/src
  # import
  t=$(now)
  if (cd "$copy" && PYTHONPATH=$pypath "$PYEXE" -c "
import importlib, sys
importlib.import_module(sys.argv[1])
exec('from %s import *' % sys.argv[1], {})
import cloaca
exec('from cloaca import *', {})
print('cloaca', getattr(cloaca, '__backend__', '?'), sorted(getattr(cloaca, '__all__', [])))
" "${module%%.*}") >"$logs/import.log" 2>&1; then
    report "$backend" import PASS "$(elapsed "$t")" "$(tail -n 1 "$logs/import.log")"
  else
    report "$backend" import FAIL "$(elapsed "$t")" "$(grep -v '^\s' "$logs/import.log" | tail -n 1)"
    tail -n 4 "$logs/import.log" | excerpt
  fi

  # pytest
  t=$(now)
  if (cd "$copy" && COLUMNS=240 PYTHONPATH=$pypath "$PYEXE" -m pytest -q -p no:cacheprovider -rfE python-tests) \
      >"$logs/pytest.log" 2>&1; then
    report "$backend" pytest PASS "$(elapsed "$t")" "$(tail -n 1 "$logs/pytest.log" | sed 's/^=* *//; s/ *=*$//')"
  else
    report "$backend" pytest FAIL "$(elapsed "$t")" "$(tail -n 1 "$logs/pytest.log" | sed 's/^=* *//; s/ *=*$//')"
    { grep -E '^(FAILED|ERROR) ' "$logs/pytest.log" || tail -n 20 "$logs/pytest.log"; } | head -n 30 | excerpt
  fi
}

for backend in "${BACKENDS[@]}"; do
  run_backend "$backend"
  if [ -n "${REALBUILD_LOG_DIR:-}" ]; then
    mkdir -p "$REALBUILD_LOG_DIR/$backend" && cp "$TMP/logs/$backend"/*.log "$REALBUILD_LOG_DIR/$backend/" 2>/dev/null
  fi
done

if [ ${#FAILED[@]} -eq 0 ]; then
  echo "realbuild result PASS"
  exit 0
fi
echo "realbuild result FAIL ${FAILED[*]}"
exit 1
