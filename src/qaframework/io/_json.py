"""Reading JSON and JSON Lines exports as rows (see :mod:`qaframework.io.rows`): an array of
objects, one per row numbered by its position from 1, or one object per line numbered by its
line. A value nested too deeply, invalid UTF-8 or a number too large rejects its row only."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from qaframework.io._export import ExportRows, RawRow, read_bytes
from qaframework.io.errors import ExportError
from qaframework.io.rejections import RowProblem
from qaframework.io.values import is_empty

__all__ = [
    "NESTED_TOO_DEEPLY",
    "decode_element",
    "json_elements",
    "json_error",
    "open_json",
    "open_json_lines",
    "strip_bom",
]

_BYTE_OFFSET = re.compile(r"\(byte (\d+)\)")


def json_error(raw: bytes, exc: Exception, *, with_line: bool = True) -> str:
    """A JSON decoding error's message, with the line it is on rather than a byte offset
    (``with_line`` False leaves the position out, for a line of JSON Lines)."""
    message = str(exc)
    found = _BYTE_OFFSET.search(message)
    if found is None:
        return message
    stripped = _BYTE_OFFSET.sub("", message).rstrip()
    if not with_line:
        return stripped
    line = raw.count(b"\n", 0, int(found[1])) + 1
    return f"{stripped} (line {line})"


def strip_bom(raw: bytes) -> bytes:
    """The bytes without a leading UTF-8 byte order mark."""
    return raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    return "a number"


def _columns_of(objects: Iterable[object]) -> list[str]:
    seen: dict[str, None] = {}
    for obj in objects:
        if isinstance(obj, dict):
            seen.update(dict.fromkeys(obj))
    return list(seen)


def _object_rows(
    export: ExportRows, numbered: Iterable[tuple[int, object, RowProblem | None]]
) -> Iterator[RawRow]:
    for number, obj, problem in numbered:
        if problem is not None:
            yield RawRow(number, None, problem)
        elif not isinstance(obj, dict):
            yield RawRow(number, None, RowProblem(None, None, f"is {_kind(obj)}, not an object"))
        elif all(is_empty(v) for v in obj.values()):
            export.blank_rows += 1
        else:
            yield RawRow(number, obj)


def open_json(file: str, max_bytes: int | None) -> ExportRows:
    import msgspec

    raw = strip_bom(read_bytes(file, max_bytes))
    numbered: list[tuple[int, object, RowProblem | None]]
    try:
        document = msgspec.json.decode(raw)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        # One element spoils the whole decode: read element by element, so that only the
        # rows at fault are rejected.
        numbered = [
            (number, *decode_element(element))
            for number, element in enumerate(json_elements(file, raw), 1)
        ]
    else:
        if not isinstance(document, list):
            raise ExportError(
                file,
                f"holds {_kind(document)}; a JSON export is an array of objects, one per row",
            )
        numbered = [(index, obj, None) for index, obj in enumerate(document, 1)]
    return ExportRows(
        file,
        "json",
        _columns_of(obj for _, obj, _ in numbered),
        lambda export: _object_rows(export, numbered),
        size_hint=len(numbered),
    )


NESTED_TOO_DEEPLY = "is nested too deeply to read (lists or objects inside one another)"
"""The reason a JSON value nested deeper than Python can follow is rejected."""


def decode_element(element: Any) -> tuple[object, RowProblem | None]:
    """One JSON value, or why it cannot be read (a row problem)."""
    import msgspec

    try:
        return msgspec.json.decode(element), None
    except msgspec.DecodeError as exc:
        reason = f"is not valid JSON: {json_error(bytes(element), exc, with_line=False)}"
    except UnicodeDecodeError as exc:
        reason = f"is not valid UTF-8: {exc.reason} (byte {exc.start + 1})"
    except RecursionError:
        reason = NESTED_TOO_DEEPLY
    return None, RowProblem(None, None, reason)


def json_elements(file: str, raw: bytes) -> Sequence[Any]:
    """The elements of a JSON array, each undecoded (bytes-like); :class:`ExportError` when
    the file is not an array, or not JSON."""
    import msgspec

    try:
        elements: list[Any] = msgspec.json.Decoder(list[msgspec.Raw]).decode(raw)
        return elements
    except msgspec.ValidationError:
        raise ExportError(file, "a JSON export is an array of objects, one per row") from None
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise ExportError(file, f"is not valid JSON: {json_error(raw, exc)}") from None
    except RecursionError:
        return _scanned_elements(file, raw)


_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{},]', re.DOTALL)


def _scanned_elements(file: str, raw: bytes) -> list[bytes]:
    """The elements of a JSON array found by counting brackets, without recursion: for an
    array with an element nested too deeply for the decoder, whose other elements are read."""
    start = len(raw) - len(raw.lstrip())
    if raw[start : start + 1] != b"[":
        raise ExportError(file, "a JSON export is an array of objects, one per row")
    elements: list[bytes] = []
    depth = 0
    begun = start + 1
    for token in _JSON_TOKEN.finditer(raw, start):
        mark = token.group()
        if mark[:1] == b'"':
            continue
        if mark in (b"[", b"{"):
            depth += 1
        elif mark in (b"]", b"}"):
            depth -= 1
            if depth == 0:
                last = raw[begun : token.start()]
                if last.strip() or elements:
                    elements.append(last)
                if raw[token.end() :].strip():
                    raise ExportError(file, "is not valid JSON: text after the array")
                return elements
        elif depth == 1:
            elements.append(raw[begun : token.start()])
            begun = token.end()
    raise ExportError(file, "is not valid JSON: the array is not closed")


def open_json_lines(file: str, max_bytes: int | None) -> ExportRows:
    raw = strip_bom(read_bytes(file, max_bytes))
    lines = raw.split(b"\n")
    if lines and not lines[-1].strip():
        lines.pop()  # the newline ending the last line starts no row
    numbered: list[tuple[int, object, RowProblem | None]] = []
    blank = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            blank += 1
            continue
        numbered.append((number, *decode_element(line)))

    def rows(export: ExportRows) -> Iterator[RawRow]:
        export.blank_rows += blank
        export.lines = len(lines)
        yield from _object_rows(export, numbered)

    return ExportRows(
        file,
        "jsonl",
        _columns_of(obj for _, obj, _ in numbered),
        rows,
        size_hint=len(numbered),
    )
