"""cloaca: one import for whichever backend is installed.

The backend packages (`cloaca_postgres`, `cloaca_sqlite`) are built from the same Rust
crate with different features. This package finds the installed one and re-exports its
public symbols. A backend that is installed but fails to import raises its own
ImportError here, unchanged.
"""

import importlib
import importlib.util

if importlib.util.find_spec("cloaca_postgres") is not None:
    _backend_module = importlib.import_module("cloaca_postgres")
elif importlib.util.find_spec("cloaca_sqlite") is not None:
    _backend_module = importlib.import_module("cloaca_sqlite")
else:
    raise ImportError(
        "No cloaca backend is installed: install cloaca_postgres or cloaca_sqlite"
    )

__all__ = [
    "hello_world",
    "get_backend",
    "HelloClass",
    "Context",
    "TaskStatus",
    "MAX_RETRIES",
    "__backend__",
]

# Also expose commonly used symbols directly
if hasattr(_backend_module, "hello_world"):
    hello_world = _backend_module.hello_world
if hasattr(_backend_module, "get_backend"):
    get_backend = _backend_module.get_backend
if hasattr(_backend_module, "HelloClass"):
    HelloClass = _backend_module.HelloClass
if hasattr(_backend_module, "Context"):
    Context = _backend_module.Context
if hasattr(_backend_module, "TaskStatus"):
    TaskStatus = _backend_module.TaskStatus
if hasattr(_backend_module, "MAX_RETRIES"):
    MAX_RETRIES = _backend_module.MAX_RETRIES
if hasattr(_backend_module, "LegacyRunner"):
    LegacyRunner = _backend_module.LegacyRunner
if hasattr(_backend_module, "__backend__"):
    __backend__ = _backend_module.__backend__

# Backend-specific symbols
if hasattr(_backend_module, "pg_only"):
    pg_only = _backend_module.pg_only
    __all__.append("pg_only")
