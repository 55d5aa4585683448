"""What the ``claims`` commands share: error handling, option types, enums."""

from __future__ import annotations

import functools
import os
import sys
import warnings
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from ..errors import ClassifierError

F = TypeVar("F", bound=Callable[..., Any])


class OutputFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    json = "json"
    csv = "csv"


class Mode(StrEnum):
    hybrid = "hybrid"
    rules = "rules"
    model = "model"


class ViewFormat(StrEnum):
    table = "table"
    json = "json"


def handles_errors(command: F) -> F:
    """Turn the package's errors into one line on stderr and a documented exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                warnings.showwarning = _one_line_warning
                return command(*args, **kwargs)
        except ClassifierError as exc:
            _error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(0) from None
        except KeyboardInterrupt:
            _error("interrupted")
            raise typer.Exit(130) from None
        except SystemExit as exc:
            if exc.code == 1 and _stdout_is_devnull():  # rich's answer to a broken pipe: end quietly, as we do
                raise typer.Exit(0) from None
            raise
        except (typer.TyperException, typer.Exit, typer.Abort):
            raise
        except ModuleNotFoundError as exc:
            top = (exc.name or "").split(".")[0]
            if top in OPTIONAL_MODULES:
                _error(f"this command needs {top}: pip install 'claim-classifier[{OPTIONAL_MODULES[top]}]'")
                raise typer.Exit(MISSING_EXTRA_EXIT) from None
            _error(f"internal error (ModuleNotFoundError: {exc}); please report it")
            raise typer.Exit(1) from None
        except OSError as exc:  # a read-only folder, a full disk: the machine's answer, not a bug
            reason = exc.strerror or str(exc)
            where = f"cannot read or write {exc.filename}" if exc.filename else "input/output error"
            _error(f"{where}: {reason}")
            raise typer.Exit(IO_ERROR_EXIT) from None
        except Exception as exc:  # the promise is: never a traceback
            _error(f"internal error ({type(exc).__name__}: {exc}); please report it")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


#: Modules of the optional extras (module -> extra), and the exit code when a command needs one that is missing.
OPTIONAL_MODULES = {
    **dict.fromkeys(("sklearn", "datasets", "joblib", "pyarrow", "pandas", "threadpoolctl"), "train"),
    **dict.fromkeys(("fastapi", "starlette", "uvicorn", "pydantic", "multipart", "python_multipart"), "serve"),
}
MISSING_EXTRA_EXIT = 7
#: Exit code when the operating system refuses a read or write (permissions, a full disk).
IO_ERROR_EXIT = 8


def _error(message: str) -> None:
    first_line = message.splitlines()[0] if message else "error"
    rest = message.splitlines()[1:]
    print(f"claims: error: {first_line}", file=sys.stderr)
    for line in rest:
        print(line, file=sys.stderr)


def _one_line_warning(
    message: Any, category: Any, filename: str, lineno: int, file: Any = None, line: Any = None
) -> None:
    print(f"claims: warning: {message}", file=sys.stderr)


def _stdout_is_devnull() -> bool:
    """Whether standard output now points at the null device (rich redirects it there on a broken pipe)."""
    try:
        out, null = os.fstat(sys.stdout.fileno()), os.stat(os.devnull)
    except (OSError, ValueError):
        return False
    return (out.st_dev, out.st_ino) == (null.st_dev, null.st_ino)


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at devnull so the interpreter's final flush is quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="A model directory made by 'claims train', or a shipped model by name: 'default' (the default) or "
        "'encoder' (needs pip install \"claim-classifier[encoder]\"). Write ./encoder for a folder of that name.",
    ),
]
RulesOption = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="Extra rule file or folder, added to the shipped rules (repeatable)."),
]
