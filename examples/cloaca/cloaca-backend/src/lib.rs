//! cloaca's Rust core, built once per backend: `--features postgres` gives the
//! `cloaca_postgres` extension module, `--features sqlite` gives `cloaca_sqlite`.

// PyO3 0.17's macros test `cfg(addr_of)`, a name newer compilers do not know.
#![allow(unexpected_cfgs)]

use pyo3::create_exception;
use pyo3::prelude::*;

mod context;
mod tasks;

#[allow(unused_imports)]
use context::PyContext;

create_exception!(cloaca, TaskError, pyo3::exceptions::PyException);

/// A minimal class with a constructor and a method.
#[pyclass]
pub struct HelloClass {
    #[pyo3(get)]
    name: String,
}

#[pymethods]
impl HelloClass {
    #[new]
    fn new(name: Option<String>) -> Self {
        HelloClass {
            name: name.unwrap_or_else(|| "world".to_string()),
        }
    }

    fn greet(&self) -> String {
        format!("Hello, {}!", self.name)
    }
}

/// Retry policy for failed tasks: declared, but no module registers it yet.
#[pyclass]
pub struct RetryPolicy {
    #[pyo3(get)]
    attempts: u32,
}

#[pyfunction]
fn hello_world() -> String {
    "Hello from cloaca!".to_string()
}

#[pyfunction]
#[pyo3(name = "get_backend")]
fn py_get_backend() -> &'static str {
    if cfg!(feature = "postgres") {
        "postgres"
    } else {
        "sqlite"
    }
}

/// Exists only in the postgres build.
#[cfg(feature = "postgres")]
#[pyfunction]
fn pg_only() -> String {
    "only the postgres backend has this".to_string()
}

#[pymodule]
#[cfg(feature = "postgres")]
fn cloaca_postgres(py: Python, m: &PyModule) -> PyResult<()> {
    m.add_class::<HelloClass>()?;
    m.add_class::<context::PyContext>()?;
    m.add_function(wrap_pyfunction!(hello_world, m)?)?;
    m.add_function(wrap_pyfunction!(py_get_backend, m)?)?;
    m.add_function(wrap_pyfunction!(pg_only, m)?)?;
    m.add("TaskError", py.get_type::<TaskError>())?;
    m.add("MAX_RETRIES", 3)?;
    tasks::register_tasks(m)?;
    m.add("__backend__", "postgres")?;
    Ok(())
}

#[pymodule]
#[cfg(feature = "sqlite")]
fn cloaca_sqlite3(py: Python, m: &PyModule) -> PyResult<()> {
    m.add_class::<HelloClass>()?;
    m.add_class::<PyContext>()?;
    m.add_function(wrap_pyfunction!(hello_world, m)?)?;
    m.add_function(wrap_pyfunction!(py_get_backend, m)?)?;
    m.add("TaskError", py.get_type::<TaskError>())?;
    m.add("MAX_RETRIES", 3)?;
    m.add("__backend__", "sqlite")?;
    Ok(())
}
