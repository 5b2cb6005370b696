//! Task state, registered into every backend module by `register_tasks`.

use pyo3::prelude::*;

#[pyclass]
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TaskStatus {
    Pending,
    Done,
}

/// The backend a task runs on (clashes with lib.rs's `get_backend`).
#[pyfunction]
#[pyo3(name = "get_backend")]
pub fn task_backend() -> &'static str {
    "tasks"
}

/// Adds the task symbols to a backend module.
pub fn register_tasks(m: &PyModule) -> PyResult<()> {
    m.add_class::<TaskStatus>()?;
    Ok(())
}
