"""End-to-end tests: every public symbol reaches users through `import cloaca`."""

import pytest


class TestBackendFunctionality:
    def test_backend_name(self):
        import cloaca

        assert cloaca.__backend__ in ("postgres", "sqlite")

    def test_get_backend(self):
        import cloaca

        assert cloaca.get_backend() == cloaca.__backend__

    def test_hello_world(self):
        import cloaca

        assert cloaca.hello_world() == "Hello from cloaca!"

    def test_hello_class(self):
        import cloaca

        obj = cloaca.HelloClass()
        assert obj is not None
        assert obj.greet() == "Hello, world!"
        assert cloaca.HelloClass("cloaca").name == "cloaca"

    def test_context(self):
        import cloaca

        ctx = cloaca.Context()
        ctx.set("answer", "42")
        assert ctx.get("answer") == "42"
        assert ctx.get("missing") is None
        assert len(ctx) == 1
        assert cloaca.Context.__name__ == "Context"

    def test_task_status(self):
        import cloaca

        assert cloaca.TaskStatus.Pending != cloaca.TaskStatus.Done
        assert cloaca.TaskStatus.Pending == cloaca.TaskStatus.Pending

    def test_task_error(self):
        import cloaca

        assert issubclass(cloaca.TaskError, Exception)
        with pytest.raises(cloaca.TaskError):
            raise cloaca.TaskError("task failed")

    def test_all_names_exist(self):
        import cloaca

        for name in cloaca.__all__:
            assert hasattr(cloaca, name), name

    def test_pg_only(self):
        import cloaca

        if cloaca.__backend__ != "postgres":
            pytest.skip("pg_only exists only in the postgres backend")
        assert cloaca.pg_only() == "only the postgres backend has this"
