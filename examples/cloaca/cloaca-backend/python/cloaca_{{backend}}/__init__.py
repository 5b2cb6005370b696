"""cloaca_{{backend}}: the {{backend}} backend of cloaca (Rust extension + Python wrapper)."""

# Import from the extension module built by maturin
from .cloaca_{{backend}} import (
    hello_world,
    get_backend,
    HelloClass,
    TaskStatus,
    TaskError,
    MAX_RETRIES,
    Scheduler,
{% if backend == "postgres" %}
    pg_only,
{% endif %}
    __backend__
)

__all__ = [
    "get_backend",
    "HelloClass",
    "TaskStatus",
    "TaskError",
    "MAX_RETRIES",
    "Workflow",
{% if backend == "postgres" %}
    "pg_only",
{% endif %}
    "__backend__",
]
