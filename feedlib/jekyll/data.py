"""A Jekyll site's ``_data/`` folder as Liquid's ``site.data``, read as Jekyll's ``DataReader`` reads it.

Every ``.yml``, ``.yaml``, ``.json``, ``.csv`` and ``.tsv`` file, by its name
without the extension (``my-list.yml`` is ``site.data["my-list"]``), and every
folder, as a mapping of what it holds (``team/members.yaml`` is
``site.data.team.members``). YAML is read as Jekyll reads front matter (Psych's
timestamps); a CSV or TSV file is a list of rows, each a mapping of its
header's names to the row's text. Names starting with ``.`` are skipped, and
so is any file outside the folder (a link leading out). A file that cannot be
read is a :class:`~feedlib.errors.ConfigError` naming it and its line.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..discover import site_files
from ..errors import ConfigError

__all__ = ["DATA_SUFFIXES", "DataFolder", "data_folder", "data_key", "load_data"]

#: The files of ``_data/`` that are data, by their (lower-case) extension.
DATA_SUFFIXES = (".yml", ".yaml", ".json", ".csv", ".tsv")
_NOT_NAME = re.compile(r"[^\w\s-]+", re.ASCII)
_SPACES = re.compile(r"\s+", re.ASCII)


def data_key(name: str) -> str:
    """Jekyll's ``sanitize_filename``: what a file or folder name is called in ``site.data``.

    >>> data_key("my list (2).yml".rsplit(".", 1)[0])
    'my_list_2'
    """
    return _SPACES.sub("_", _NOT_NAME.sub("", name).strip(" \t\n\v\f\r"))


def _yaml(path: Path, text: str) -> Any:
    import yaml

    from ..psych import psych_loader

    try:
        return yaml.load(text, Loader=psych_loader())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(f"invalid YAML: {error.problem or error.context}", path, line) from None
    except yaml.YAMLError as error:
        raise ConfigError(f"invalid YAML: {error}", path) from None
    except (ValueError, TypeError, OverflowError) as error:
        raise ConfigError(f"cannot read a value: {error}", path) from None


def _json(path: Path, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(f"invalid JSON: {error.msg}", path, error.lineno) from None
    except RecursionError:
        raise ConfigError("JSON nests too deeply", path) from None


def _rows(path: Path, text: str, delimiter: str) -> list[dict[str, Any]]:
    """A CSV or TSV file as Ruby's CSV reads it with headers: a mapping per row (empty fields ``None``)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return []
        rows = []
        for row in reader:
            fields = [value if value != "" else None for value in row]
            fields += [None] * (len(header) - len(fields))
            named: dict[str, Any] = {}
            for name, value in zip(header, fields, strict=False):
                named.setdefault(name, value)
            rows.append(named)
    except csv.Error as error:
        kind = "TSV" if delimiter == "\t" else "CSV"
        raise ConfigError(f"invalid {kind}: {error}", path, reader.line_num) from None
    return rows


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ConfigError(f"cannot read: {error.strerror or error}", path) from None
    except UnicodeDecodeError:
        raise ConfigError("not valid UTF-8", path) from None
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _json(path, text)
    if suffix in (".csv", ".tsv"):
        return _rows(path, text, "\t" if suffix == ".tsv" else ",")
    return _yaml(path, text)


class DataFolder(Mapping[str, Any]):
    """A folder of ``_data/`` as ``site.data`` shows it: each file read when first looked up.

    A post that reads ``site.data.releases`` reads ``releases.yml`` only, so a
    build that renders a few posts does not read every file of a large
    ``_data/``. :meth:`load` reads them all (and raises for any that cannot be).
    """

    def __init__(self) -> None:
        self._entries: dict[str, Path | DataFolder] = {}
        self._values: dict[str, Any] = {}

    def _add(self, keys: list[str], path: Path) -> None:
        if len(keys) == 1:
            self._entries[keys[0]] = path
            return
        folder = self._entries.get(keys[0])
        if not isinstance(folder, DataFolder):
            folder = self._entries[keys[0]] = DataFolder()
        folder._add(keys[1:], path)

    def __getitem__(self, key: str) -> Any:
        if key not in self._values:
            entry = self._entries[key]
            self._values[key] = entry if isinstance(entry, DataFolder) else _read(entry)
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def load(self) -> dict[str, Any]:
        """Every file read: the whole of ``site.data`` as plain mappings."""
        return {key: value.load() if isinstance(value, DataFolder) else value for key, value in self.items()}


def data_folder(folder: Path | None) -> DataFolder:
    """``site.data`` from the files under ``folder`` (empty when there is none), each read when looked up."""
    data = DataFolder()
    for name, path in site_files(folder).items():
        parts = name.split("/")
        if any(part.startswith(".") for part in parts):
            continue
        if not name.endswith(DATA_SUFFIXES) or path.suffix not in DATA_SUFFIXES:
            continue
        data._add([data_key(part) for part in parts[:-1]] + [data_key(path.stem)], path)
    return data


def load_data(folder: Path | None, only: str | None = None) -> dict[str, Any]:
    """``site.data`` from the files under ``folder``, all read (``{}`` when there is none).

    With ``only``, just what ``site.data[only]`` holds is read (the other files are not).
    """
    data = data_folder(folder)
    if only is not None:
        if only not in data:
            return {}
        value = data[only]
        return {only: value.load() if isinstance(value, DataFolder) else value}
    return data.load()
