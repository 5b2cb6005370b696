//! The execution context handed to tasks: a string-to-string map.

use std::collections::HashMap;

use pyo3::prelude::*;

/// Known in Python as `Context`.
#[pyclass(name = "Context")]
#[derive(Default)]
pub struct PyContext {
    values: HashMap<String, String>,
}

#[pymethods]
impl PyContext {
    #[new]
    fn new() -> Self {
        PyContext::default()
    }

    fn set(&mut self, key: String, value: String) {
        self.values.insert(key, value);
    }

    fn get(&self, key: &str) -> Option<String> {
        self.values.get(key).cloned()
    }

    fn __len__(&self) -> usize {
        self.values.len()
    }
}
