"""Break one dashboard function inside a server on purpose, so a test can see it is reported."""

from __future__ import annotations

from pathlib import Path

BREAK_ENV = "JOBMARKET_E2E_BREAK"
# Written as sitecustomize.py into a directory put first on the server's PYTHONPATH: when the
# module named in $JOBMARKET_E2E_BREAK ("package.module:function") is imported, the function is
# replaced by one that raises. The dashboard needs no test hook for this.
SITECUSTOMIZE = """
import importlib.abc
import importlib.util
import os
import sys

_TARGET = os.environ.get("JOBMARKET_E2E_BREAK", "")
_MODULE, _, _FUNCTION = _TARGET.partition(":")


class _BreakOnImport(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != _MODULE:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_and_break(module):
            exec_module(module)
            getattr(module, _FUNCTION)  # fail loudly if the function does not exist

            def broken(*args, **kwargs):
                raise RuntimeError(_TARGET + " was broken on purpose by the e2e tests")

            setattr(module, _FUNCTION, broken)

        spec.loader.exec_module = exec_and_break
        return spec


if _MODULE and _FUNCTION:
    sys.meta_path.insert(0, _BreakOnImport())
"""


def breaking_env(directory: Path, target: str) -> tuple[Path, dict[str, str]]:
    """(PYTHONPATH directory, env) that make `target` ("module:function") raise in the server."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    return directory, {BREAK_ENV: target}
