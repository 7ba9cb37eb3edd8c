"""booklet: per-language content files to print-ready PDF factsheets and booklets.

The Python API (see api.py and the README)::

    import booklet

    project = booklet.open_project("path/to/project")
    project.check()
    result = project.build(languages=["fr"], editions=["screen"])
"""

from .version import __version__

#: What ``import booklet`` offers, from api.py and errors.py.
_API = {"open_project": "api", "init_project": "api", "Starter": "api", "Project": "api",
        "CheckResult": "api", "BuildResult": "api", "MergeResult": "api", "Shard": "api",
        "preflight": "api",
        "BookletError": "errors", "ContentError": "errors", "Problem": "errors"}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    # Imported when first asked for: a worker or a module of the package that
    # imports booklet.x does not pay for the whole API.
    if name in _API:
        from importlib import import_module

        return getattr(import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module 'booklet' has no attribute {name!r}")
