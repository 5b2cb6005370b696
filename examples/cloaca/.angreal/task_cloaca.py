"""angreal tasks for the cloaca Python bindings: render, build, install and test a backend.

    angreal cloaca test --backend sqlite -k "hello"
"""

import shutil
import subprocess
import sys
from pathlib import Path

import angreal
from jinja2 import Environment, FileSystemLoader, StrictUndefined

PROJECT_ROOT = Path(angreal.get_root()).parent
TEMPLATES_DIR = PROJECT_ROOT / ".angreal" / "templates"
BACKENDS = ("postgres", "sqlite")

cloaca = angreal.command_group(name="cloaca", about="build and test the cloaca Python bindings")


def _render(template_name, destination, backend_name):
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    text = env.get_template(template_name).render(backend=backend_name)
    destination.write_text(text)


def _render_backend_templates(backend_name):
    """Write Cargo.toml, pyproject.toml and the wrapper package for one backend."""
    backend_dir = PROJECT_ROOT / "cloaca-backend"
    _render("backend_cargo.toml.j2", backend_dir / "Cargo.toml", backend_name)
    _render("backend_pyproject.toml.j2", backend_dir / "pyproject.toml", backend_name)

    template_pkg = backend_dir / "python" / "cloaca_{{backend}}"
    rendered_pkg = backend_dir / "python" / f"cloaca_{backend_name}"
    rendered_pkg.mkdir(parents=True, exist_ok=True)
    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True)
    for source in template_pkg.glob("*.py"):
        text = env.from_string(source.read_text()).render(backend=backend_name)
        (rendered_pkg / source.name).write_text(text)
    return backend_dir


def _build_and_install_cloaca_backend(backend_name):
    """Build the backend wheel with maturin and install it into the current environment."""
    if backend_name not in BACKENDS:
        raise ValueError(f"unknown backend {backend_name!r}; expected one of {BACKENDS}")

    backend_dir = _render_backend_templates(backend_name)
    subprocess.run(
        ["maturin", "build", "--release", "--features", backend_name],
        cwd=backend_dir,
        check=True,
    )

    wheel_pattern = f"cloaca_{backend_name}-*.whl"
    wheel_dir = PROJECT_ROOT / "target" / "wheels"
    wheels = sorted(wheel_dir.glob(wheel_pattern))
    if not wheels:
        raise FileNotFoundError(f"no {wheel_pattern} in {wheel_dir}")

    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--force-reinstall", str(wheels[-1])],
        check=True,
    )
    return wheels[-1]


def _install_dispatcher():
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-e", str(PROJECT_ROOT / "cloaca")],
        check=True,
    )


def _uninstall_backends():
    names = [f"cloaca_{backend}" for backend in BACKENDS]
    subprocess.run([sys.executable, "-m", "pip", "uninstall", "-y", *names], check=False)


@cloaca()
@angreal.command(name="test", about="build a backend, install it and run python-tests")
@angreal.argument(name="backend", long="backend", required=False, help="postgres or sqlite (default: both)")
@angreal.argument(name="k", short="k", required=False, help="only run tests matching this expression")
def test(backend=None, k=None):
    for backend_name in [backend] if backend else BACKENDS:
        _uninstall_backends()
        _build_and_install_cloaca_backend(backend_name)
        _install_dispatcher()
        command = [sys.executable, "-m", "pytest", str(PROJECT_ROOT / "python-tests"), "-v"]
        if k:
            command += ["-k", k]
        result = subprocess.run(command, cwd=PROJECT_ROOT)
        if result.returncode != 0:
            return result.returncode
    return 0


@cloaca()
@angreal.command(name="clean", about="remove rendered files and build outputs")
def clean():
    backend_dir = PROJECT_ROOT / "cloaca-backend"
    for name in ("Cargo.toml", "Cargo.lock", "pyproject.toml"):
        (backend_dir / name).unlink(missing_ok=True)
    for backend_name in BACKENDS:
        shutil.rmtree(backend_dir / "python" / f"cloaca_{backend_name}", ignore_errors=True)
    shutil.rmtree(backend_dir / "target", ignore_errors=True)
