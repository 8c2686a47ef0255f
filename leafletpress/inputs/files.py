"""Reading the project's input files: TOML as data, any file as bounded bytes of a regular file."""

from __future__ import annotations

import tomllib
from pathlib import Path

from leafletpress.inputs.problems import InputError


def read_toml(path: Path, error: type[InputError] = InputError) -> dict:
    """A TOML input file as data, or `error` naming the file and what is wrong with it."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(path, "file", "does not exist") from None
    except UnicodeDecodeError as problem:
        raise error(path, "file", f"is not UTF-8 ({problem.reason} at byte {problem.start})") from None
    except tomllib.TOMLDecodeError as problem:
        raise error(path, "file", f"is not valid TOML: {problem}") from None
