"""Reading audits in the converter's native form (``qaframework.to_dict(audit)``) in bulk.

A JSON array of such objects, or JSON Lines with one per line, loads with no mapping. The
form is read exactly as :func:`qaframework.from_dict` reads it: every field of the right
type, dates as ``YYYY-MM-DD``, enums by value, grades, roles and activities by their ids,
and an unknown key is a rejection, never ignored.

Bulk speed comes from msgspec: the document is decoded in one pass into msgspec structs
generated from the attrs classes (so that unknown keys are caught, which msgspec does not do
for attrs classes), converted to the attrs classes in C, and screened with
:meth:`AuditCheck.passes <qaframework.engine.audits.AuditCheck.passes>`. Only when the one-pass
decode fails does the loader decode element by element, to reject the bad rows and keep the
rest. A large file is read a part at a time, each part decoded so (JSON Lines a slice of
lines, a JSON array a group of elements), so that the file is never held whole beside the
audits made from it. Equal notes (see :class:`_SharedNotes`) are kept as one string. msgspec
is imported on first use.
"""

from __future__ import annotations

import re
import typing
from codecs import BOM_UTF8
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from itertools import chain, repeat
from operator import attrgetter, is_
from types import NoneType, UnionType
from typing import Any

import attrs

from qaframework.engine.audits import Audit
from qaframework.io._export import file_blocks, line_slices, read_bytes
from qaframework.io._fast_rows import CACHE_LIMIT
from qaframework.io._json import NESTED_TOO_DEEPLY, json_elements, json_error, strip_bom
from qaframework.io.rejections import RowProblem
from qaframework.io.values import display, forbidden_character
from qaframework.profiles.files import export_limit

__all__ = ["NativeRows", "read_native"]

_ERROR = re.compile(r"^(?P<message>.*?)(?: - at `(?P<path>[^`]*)`)?$", re.DOTALL)
_FIELD = re.compile(r"^Object (?P<what>missing required|contains unknown) field `(?P<name>.*)`$")
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")

_structs: dict[tuple[type, Vocabulary], Any] = {}

Vocabulary = tuple[tuple[str, frozenset[str]], ...]
"""Words a profile knows, by kind (``activity``, ``role``, ``grade``, ``standard``): the
fields holding them are decoded as one of these words, each the one string object that
every audit holding it shares."""

# The fields holding a profile's words, by class and field, and the kind of word.
_WORDS = {
    ("Audit", "activity"): "activity",
    ("Audit", "auditor_role"): "role",
    ("Audit", "overall_grade"): "grade",
    ("Judgement", "standard"): "standard",
    ("Judgement", "grade"): "grade",
    ("ModerationRecord", "role"): "role",
    ("ModerationRecord", "grade"): "grade",
}


def _struct_type(cls: type, vocabulary: Vocabulary = ()) -> Any:
    """A msgspec struct type with the fields, types and defaults of attrs class ``cls``,
    nested attrs classes replaced by their structs, unknown fields forbidden; the fields
    holding a profile's words, ``Literal`` types of the ``vocabulary`` given (a value not
    among them fails the decode)."""
    import msgspec

    key = (cls, vocabulary)
    if key in _structs:
        return _structs[key]
    words = dict(vocabulary)
    hints = typing.get_type_hints(cls)
    fields: list[tuple[Any, ...]] = []
    for field in attrs.fields(cls):
        annotation = _translate(hints[field.name], vocabulary)
        kind = _WORDS.get((cls.__name__, field.name))
        if kind is not None and words.get(kind):
            known = typing.Literal[tuple(sorted(words[kind]))]  # type: ignore[valid-type]
            annotation = known | None if annotation == (str | None) else known
        default = field.default
        if default is attrs.NOTHING:
            fields.append((field.name, annotation))
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            fields.append((field.name, annotation, msgspec.field(default_factory=default.factory)))
        else:
            fields.append((field.name, annotation, default))
    struct = msgspec.defstruct(
        cls.__name__, fields, forbid_unknown_fields=True, gc=False, module=__name__
    )
    _structs[key] = struct
    return struct


def _translate(annotation: Any, vocabulary: Vocabulary) -> Any:
    if isinstance(annotation, type) and attrs.has(annotation):
        return _struct_type(annotation, vocabulary)
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis:
        return tuple[_translate(arguments[0], vocabulary), ...]  # type: ignore[misc]
    if origin in (UnionType, typing.Union):
        translated = [_translate(a, vocabulary) for a in arguments]
        union = translated[0]
        for member in translated[1:]:
            union = union | member if member is not NoneType else union | None
        return union
    return annotation


@attrs.frozen
class NativeRows:
    """What a native read found: the audits decoded and their row numbers (in step), the
    rows rejected before any check, the rows read, the blank lines skipped and the lines of
    a JSON Lines file (None for JSON)."""

    numbers: Sequence[int]
    audits: list[Audit]
    rejected: list[tuple[int, RowProblem]]
    rows_read: int
    blank_rows: int
    lines: int | None = None


_SLICE = 4096
"""Structs converted to audits at a time (see :func:`read_native`)."""

_NOTES = tuple(
    (attrgetter(holding), tuple((name, attrgetter(name)) for name in names))
    for holding, names in (
        ("judgements", ("rationale", "strengths", "would_improve")),
        ("moderations", ("rationale",)),
        ("actions", ("what",)),
    )
)
"""The free-text notes of a decoded audit: what holds them, and their fields."""


class _SharedNotes:
    """Equal free-text notes held as one string across a load, as the CSV engines hold them.

    msgspec makes a new string of every note it decodes; an export whose notes repeat (a
    template's wording, "No concerns") would otherwise hold each copy. The notes of each
    group of decoded structs (at most :data:`_SLICE`) are looked up in one table in C-level
    passes (no Python code per note) and each replaced by the first equal note seen. Notes
    are added to the table until it holds
    :data:`~qaframework.io._fast_rows.CACHE_LIMIT` or more (at most a group's notes more);
    a note new after that is its audit's own. A group that comes when the table is full and
    finds fewer than half of its notes there ends the sharing for the rest of the load, so
    an export whose notes all differ, as an auditor's words do, pays for little more than
    the notes that filled it."""

    __slots__ = ("_sharing", "_table")

    def __init__(self) -> None:
        self._table: dict[str | None, str | None] = {}
        self._sharing = True

    def share(self, structs: Sequence[Any]) -> None:
        """Replace each note of ``structs`` by an equal one seen before, where there is one."""
        if not self._sharing:
            return
        table = self._table
        full = len(table) >= CACHE_LIMIT
        look = table.get if full else table.setdefault
        looked = found = 0
        for holding, fields in _NOTES:
            holders = list(chain.from_iterable(map(holding, structs)))
            for name, note_of in fields:
                notes = list(map(note_of, holders))
                kept = list(map(look, notes, notes))
                if full:
                    # A note found in the table is another object than the one decoded;
                    # None, no note, is itself whatever the table holds.
                    found += len(notes) - sum(map(is_, kept, notes))
                    looked += len(notes) - notes.count(None)
                deque(map(setattr, holders, repeat(name), kept), maxlen=0)
        if 2 * found < looked:
            self._sharing = False


_Decoded = tuple[Sequence[int], list[Any], list[tuple[int, RowProblem]], int, int]


def _every(structs: list[Any]) -> _Decoded:
    """A decode where every row became a struct: rows numbered from 1, none rejected, none
    blank."""
    return range(1, len(structs) + 1), structs, [], len(structs), 0


_LINES_BYTES = 1 << 21
"""About how many bytes of a JSON Lines file are decoded at a time (see :func:`read_native`)."""


def read_native(
    file: str, format: str, max_bytes: int | None = None, vocabulary: Vocabulary = ()
) -> NativeRows:
    """Decode a native-form JSON or JSON Lines file into audits, rejecting malformed rows.

    Row numbers are positions in the array from 1 (JSON) or line numbers (JSON Lines).
    :class:`ExportError` when a JSON file is not JSON, or not an array. With a
    ``vocabulary`` (the words of the profile's versions), a file whose every activity,
    role, grade and standard is one of those words is decoded with each word one shared
    string; any other file is decoded as before.

    A JSON Lines file is read and decoded a slice of about :data:`_LINES_BYTES` at a time
    (cut at line ends, each slice read as a file of its own and its lines numbered on from
    the slices before it), so that what a load holds besides the audits is a slice's bytes
    and structs, not the whole file's. A JSON array is read the same way, a group of
    elements of about :data:`_ARRAY_BYTES` at a time (see :class:`_ArrayGroups`).
    """
    if format == "json":
        return _read_array(file, max_bytes, vocabulary)
    notes = _SharedNotes()
    numbers: list[int] = []
    audits: list[Audit] = []
    rejected: list[tuple[int, RowProblem]] = []
    rows_read = blank = lines = 0
    for index, data in enumerate(line_slices(file, export_limit(max_bytes), _LINES_BYTES)):
        part = _read(file, strip_bom(data) if index == 0 else data, format, vocabulary, notes)
        numbers.extend(number + lines for number in part.numbers)
        audits.extend(part.audits)
        rejected.extend((number + lines, problem) for number, problem in part.rejected)
        rows_read += part.rows_read
        blank += part.blank_rows
        assert part.lines is not None  # JSON Lines count their lines
        # Every slice but the last ends at a line feed: its lines are its line feeds.
        lines += part.lines
        del part
    return NativeRows(numbers, audits, rejected, rows_read, blank, lines)


def _read(
    file: str, raw: bytes, format: str, vocabulary: Vocabulary, notes: _SharedNotes
) -> NativeRows:
    """:func:`read_native` of a file's bytes (a JSON Lines file's, or a slice of it), its
    equal notes shared through ``notes``."""
    struct = _struct_type(Audit)
    # JSON Lines: the file's line feeds, counted once for every count of lines below.
    feeds = 0 if format == "json" else raw.count(b"\n")
    decoded = (
        _decode_known(raw, format, _struct_type(Audit, vocabulary), feeds) if vocabulary else None
    )
    if decoded is None:
        decoded = (
            _decode_array(file, raw, struct)
            if format == "json"
            else _decode_lines(raw, struct, feeds)
        )
    lines = None if format == "json" else _line_count(raw, feeds)
    return _converted(decoded, _may_hold_forbidden(raw), lines, notes)


def _converted(
    decoded: _Decoded, may_forbid: bool, lines: int | None, notes: _SharedNotes
) -> NativeRows:
    """The decoded structs as audits, their equal notes shared through ``notes``;
    ``may_forbid``: whether the text they were decoded from may hold a character no
    document may hold (see :func:`_may_hold_forbidden`)."""
    import msgspec

    numbers, structs, rejected, rows_read, blank = decoded
    # The decoded structs converted into the attrs classes in C, a slice at a time, each
    # slice's structs freed before the next is converted: the audits built take the memory
    # the structs held, instead of leaving it free around them once all are converted.
    audits: list[Audit] = []
    start = 0
    try:
        for start in range(0, len(structs), _SLICE):
            part = structs[start : start + _SLICE]
            notes.share(part)
            audits.extend(msgspec.convert(part, list[Audit], from_attributes=True))
            structs[start : start + _SLICE] = [None] * len(part)
            del part
    except (msgspec.ValidationError, TypeError, ValueError):
        # The slice refused is shared already; the slices after it are shared as they
        # would have been, before every struct left is converted on its own.
        for after in range(start + _SLICE, len(structs), _SLICE):
            notes.share(structs[after : after + _SLICE])
        rest_numbers, rest = _convert_each(numbers[start:], structs[start:], rejected)
        numbers = [*numbers[:start], *rest_numbers]
        audits.extend(rest)
    del structs
    if may_forbid:
        numbers, audits = _without_forbidden(numbers, audits, rejected)
    return NativeRows(numbers, audits, rejected, rows_read, blank, lines)


_ARRAY_BYTES = 1 << 21
"""About how many bytes of a JSON array's elements are decoded at a time (see
:class:`_ArrayGroups`)."""

_ARRAY_GROUP_LIMIT = 1 << 27
"""The most bytes held while no cut between elements is found: past it, the array is read
whole."""

_MISSES = 8
"""The places tried as cuts between elements that were not, past which an array is read
whole."""

_S = rb"[ \t\r\n]*"  # JSON's white space
_SPACE = re.compile(_S)
_STRING = rb'"(?:[^"\\]|\\.)*"'
_KEY_VALUE = re.compile(
    rb'(?P<first>"[^"\\]*")%s:%s(?:%s%s,%s(?P<second>"[^"\\]*")%s:)?'
    % (_S, _S, _STRING, _S, _S, _S),
    re.DOTALL,
)
_OPENING_REACH = 1 << 16
"""How far back from the end of what is held the search for a cut starts again once more
is read (an element's opening longer than this is found further on)."""


class _ReadWhole(Exception):
    """An array :class:`_ArrayGroups` does not cut into groups: read whole instead."""


def _read_array(file: str, max_bytes: int | None, vocabulary: Vocabulary) -> NativeRows:
    """:func:`read_native` of a JSON array: a group of elements at a time where the array
    can be cut so (see :class:`_ArrayGroups`), else the whole file at once (each read with
    a table of notes of its own)."""
    try:
        with closing(file_blocks(file, max_bytes)) as blocks:
            return _ArrayGroups(file, vocabulary, _SharedNotes()).read(blocks)
    except _ReadWhole:
        return _read(
            file, strip_bom(read_bytes(file, max_bytes)), "json", vocabulary, _SharedNotes()
        )


class _ArrayGroups:
    """A JSON array read a block at a time and decoded a group of elements at a time, so
    that what a load holds besides the audits is a group's bytes and structs, not the
    whole file's (a million audits are 1.9 GB of JSON).

    Each group is read as an array of its own (its elements between ``[`` and ``]``, put
    in place of the comma before and the comma after it), its rows numbered on from the
    groups before it, exactly as :func:`_read` reads a file: the load is the whole
    file's. The cut after a group is found without parsing the file twice. The places
    tried are those where a comma is followed by an element opening as the first element
    does (``{``, its first key and, where its value is a string, that value and the
    second key; see :meth:`_opening`), and a place is a cut when the group before it
    decodes as an array. That proves it: the group is read from the start of an element,
    in the state the file is in there, and an array closes at the place only if the
    place is between two of the array's elements (one inside a nested object or a string
    leaves something open; one after an empty element leaves ``,]``). A group that does
    not decode as audits is tried as elements alone, so that a group holding a row at
    fault is still cut, and read as a file is, rejecting that row. An array that does
    not open with an object, a file within one group, and an array where no cut is found
    within :data:`_ARRAY_GROUP_LIMIT` bytes or after :data:`_MISSES` places that were not
    cuts are read whole, as is one whose last group does not decode (its error is then
    the whole file's: text after the array, an array not closed)."""

    def __init__(self, file: str, vocabulary: Vocabulary, notes: _SharedNotes) -> None:
        import msgspec

        self._file = file
        self._vocabulary = vocabulary
        self._notes = notes
        struct: Any = _struct_type(Audit, vocabulary)
        self._structs = msgspec.json.Decoder(list[struct])
        self._elements = msgspec.json.Decoder(list[msgspec.Raw])
        self._errors = (msgspec.DecodeError, UnicodeDecodeError, RecursionError)
        self._misses = 0
        self._resume = 0  # where to look on for a cut (the places before it were tried)
        self.numbers: list[int] = []
        self.audits: list[Audit] = []
        self.rejected: list[tuple[int, RowProblem]] = []
        self.rows_read = 0

    def read(self, blocks: Iterable[bytes]) -> NativeRows:
        """Read the file's blocks; :class:`_ReadWhole` when the array is not cut so."""
        held = bytearray()
        slot = -1  # where the group's "[" goes: the byte before its first element
        opening: re.Pattern[bytes] | None = None  # once the first element's opening is read
        for block in blocks:
            held += block
            if slot < 0:
                if len(held) <= _ARRAY_BYTES:
                    continue
                slot, opening = self._opening(held)
            assert opening is not None  # read with the "[", above
            while len(held) - slot > _ARRAY_BYTES:
                cut = self._cut(held, slot, opening)
                if cut is None:
                    if len(held) - slot > _ARRAY_GROUP_LIMIT:
                        raise _ReadWhole
                    break
                del held[:cut]
                slot = 0
                self._resume = 0
        if slot < 0:
            # A file of one group: read whole, as it is.
            return _read(self._file, strip_bom(bytes(held)), "json", self._vocabulary, self._notes)
        if not self._group(held, slot, len(held)):
            raise _ReadWhole
        return NativeRows(self.numbers, self.audits, self.rejected, self.rows_read, 0)

    @staticmethod
    def _opening(held: bytearray) -> tuple[int, re.Pattern[bytes]]:
        """Where the array's "[" is, and the pattern of a comma and an element's opening as
        the first element opens: ``{``, its first key and, where the first value is a
        string, that value and the second key (an audit's ``"id"`` and ``"child_id"``: an
        action's ``"id"`` is followed by another key)."""
        at = len(BOM_UTF8) if held.startswith(BOM_UTF8) else 0
        marks = []
        for mark in b'[{"':
            space = _SPACE.match(held, at)
            assert space is not None  # it matches no space at all
            at = space.end()
            if at == len(held) or held[at] != mark:
                raise _ReadWhole
            marks.append(at)
            at += 1
        opening = _KEY_VALUE.match(held, marks[2])
        if opening is None:
            raise _ReadWhole
        first = re.escape(opening["first"])
        if opening["second"] is None:
            return marks[0], re.compile(rb",%s\{%s%s%s:" % (_S, _S, first, _S), re.DOTALL)
        second = re.escape(opening["second"])
        pattern = rb",%s\{%s%s%s:%s%s%s,%s%s%s:" % (
            _S,
            _S,
            first,
            _S,
            _S,
            _STRING,
            _S,
            _S,
            second,
            _S,
        )
        return marks[0], re.compile(pattern, re.DOTALL)

    def _cut(self, held: bytearray, slot: int, opening: re.Pattern[bytes]) -> int | None:
        """Read the group from ``slot`` to the first cut past :data:`_ARRAY_BYTES` bytes,
        and say where it ends (the comma after it), or None when no cut is found yet."""
        at = max(slot + _ARRAY_BYTES, self._resume)
        while True:
            found = opening.search(held, at)
            if found is None:
                # Where to look on once more is read: an opening may be cut by the block's end.
                self._resume = max(at, len(held) - _OPENING_REACH)
                return None
            comma = found.start()
            at = comma + 1
            if self._group(held, slot, comma + 1):
                return comma
            self._resume = at
            self._misses += 1
            if self._misses > _MISSES:
                raise _ReadWhole

    def _group(self, held: bytearray, slot: int, end: int) -> bool:
        """Read the elements between ``slot`` and ``end`` (the comma after them, or the
        array's end) as an array of their own; False, with nothing read, when they are
        not one."""
        before, after = held[slot], held[end - 1]
        held[slot] = ord("[")
        if end < len(held):
            held[end - 1] = ord("]")  # the comma after the group
        try:
            with memoryview(held) as whole, whole[slot:end] as group:
                try:
                    structs = self._structs.decode(group)
                except self._errors:
                    try:
                        self._elements.decode(group)
                    except self._errors:
                        return False
                    part = _read(self._file, bytes(group), "json", self._vocabulary, self._notes)
                else:
                    may_forbid = _may_hold_forbidden(held, slot, end)
                    part = _converted(_every(structs), may_forbid, None, self._notes)
        finally:
            held[slot], held[end - 1] = before, after
        self._add(part)
        return True

    def _add(self, part: NativeRows) -> None:
        read = self.rows_read
        self.numbers.extend(map(read.__add__, part.numbers))
        self.audits.extend(part.audits)
        self.rejected.extend((read + number, problem) for number, problem in part.rejected)
        self.rows_read += part.rows_read


# JSON can carry the characters no document may hold only as escapes (\u0000, \b, \f), or
# U+FFFE and U+FFFF as themselves: only a file holding one is searched audit by audit. Two
# patterns, each beginning with a fixed byte, which the regular expression engine skips to:
# one pattern with two beginnings is tried at every byte, ten times slower.
_FORBIDDEN_ESCAPE = re.compile(
    rb"\\(?:[bf]|u(?:00[01][0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF]))"
)
_NON_CHARACTER = re.compile(rb"\xef\xbf[\xbe\xbf]")


def _may_hold_forbidden(raw: bytes | bytearray, start: int = 0, end: int | None = None) -> bool:
    """Whether JSON text (from ``start`` to ``end``) may hold a character no document may
    hold (a text without a backslash or a 0xEF byte is not searched at all)."""
    end = len(raw) if end is None else end
    # One byte looked for is found by memchr; two, by a slower general search.
    return (
        raw.find(b"\\", start, end) >= 0 and _FORBIDDEN_ESCAPE.search(raw, start, end) is not None
    ) or (raw.find(b"\xef", start, end) >= 0 and _NON_CHARACTER.search(raw, start, end) is not None)


def _without_forbidden(
    numbers: Sequence[int], audits: list[Audit], rejected: list[tuple[int, RowProblem]]
) -> tuple[list[int], list[Audit]]:
    """The audits without those holding a character no document may hold, rejected."""
    kept_numbers: list[int] = []
    kept: list[Audit] = []
    for number, audit in zip(numbers, audits, strict=True):
        problems = list(_forbidden_in(audit, ""))
        if problems:
            rejected.append((number, problems[0]))
        else:
            kept_numbers.append(number)
            kept.append(audit)
    rejected.sort(key=lambda item: item[0])
    return kept_numbers, kept


def _forbidden_in(value: Any, path: str) -> Iterator[RowProblem]:
    if isinstance(value, str):
        reason = forbidden_character(value)
        if reason is not None:
            yield RowProblem(path or None, display(value), reason)
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _forbidden_in(item, f"{path}[{index}]")
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            name = f"{path}.{field.name}" if path else field.name
            yield from _forbidden_in(getattr(value, field.name), name)


def _convert_each(
    numbers: Sequence[int], structs: list[Any], rejected: list[tuple[int, RowProblem]]
) -> tuple[list[int], list[Audit]]:
    """Convert struct by struct, rejecting those the attrs classes refuse."""
    import msgspec

    kept_numbers: list[int] = []
    audits: list[Audit] = []
    for number, struct in zip(numbers, structs, strict=True):
        try:
            audits.append(msgspec.convert(struct, Audit, from_attributes=True))
            kept_numbers.append(number)
        except (msgspec.ValidationError, TypeError, ValueError) as exc:
            match = _ERROR.match(str(exc))
            assert match is not None  # the pattern matches any text
            path = match["path"] or "$"
            column = path[2:] if path.startswith("$.") else None
            rejected.append((number, RowProblem(column, None, match["message"])))
    rejected.sort(key=lambda item: item[0])
    return kept_numbers, audits


def _element_problem(exc: BaseException, element: Any) -> RowProblem:
    """Why one element (or line) could not be decoded."""
    import msgspec

    if isinstance(exc, msgspec.ValidationError):
        return _problem(exc, bytes(element))
    if isinstance(exc, msgspec.DecodeError):
        reason = f"is not valid JSON: {json_error(bytes(element), exc, with_line=False)}"
        return RowProblem(None, None, reason)
    if isinstance(exc, UnicodeDecodeError):
        return RowProblem(None, None, f"is not valid UTF-8: {exc.reason} (byte {exc.start + 1})")
    return RowProblem(None, None, NESTED_TOO_DEEPLY)


def _decode_known(raw: bytes, format: str, struct: Any, feeds: int) -> _Decoded | None:
    """The whole file decoded in one pass with the words of a profile as ``Literal``
    types, None when it cannot be (a word not among them, a row that is not valid): such
    a file is decoded again without them, which says what is wrong where. ``feeds``: the
    line feeds of a JSON Lines file."""
    import msgspec

    try:
        if format == "json":
            decoded = msgspec.json.Decoder(list[struct]).decode(raw)
        else:
            decoded = msgspec.json.Decoder(struct).decode_lines(raw)
            if len(decoded) != _physical_lines(raw, feeds):
                return None  # blank lines: numbered by the decode without the words
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None
    return _every(decoded)


def _decode_array(file: str, raw: bytes, struct: Any) -> _Decoded:
    import msgspec

    try:
        decoded = msgspec.json.Decoder(list[struct]).decode(raw)
        return _every(decoded)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        pass
    elements = json_elements(file, raw)
    decoder = msgspec.json.Decoder(struct)
    numbers: list[int] = []
    structs: list[Any] = []
    rejected: list[tuple[int, RowProblem]] = []
    for number, element in enumerate(elements, 1):
        try:
            structs.append(decoder.decode(element))
            numbers.append(number)
        except (msgspec.DecodeError, UnicodeDecodeError, RecursionError) as exc:
            rejected.append((number, _element_problem(exc, element)))
    return numbers, structs, rejected, len(elements), 0


def _line_count(raw: bytes, feeds: int) -> int:
    """How many lines :func:`_lines` numbers, without splitting the file (``feeds``: its
    line feeds)."""
    last = raw[raw.rfind(b"\n") + 1 :]
    return feeds + (1 if last.strip() else 0)


def _physical_lines(raw: bytes, feeds: int) -> int:
    """The lines of a JSON Lines file with ``feeds`` line feeds, a last line without one
    included: when msgspec decodes as many objects, no line is blank."""
    return feeds + (0 if raw.endswith(b"\n") or not raw else 1)


def _lines(raw: bytes) -> Iterator[tuple[int, bytes]]:
    lines = raw.split(b"\n")
    if lines and not lines[-1].strip():
        lines.pop()
    return enumerate(lines, 1)


def _decode_lines(raw: bytes, struct: Any, feeds: int) -> _Decoded:
    import msgspec

    decoder = msgspec.json.Decoder(struct)
    line_count = _physical_lines(raw, feeds)
    try:
        decoded = decoder.decode_lines(raw)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        decoded = None
    # msgspec skips blank lines; only when there are none is the n-th object on line n.
    if decoded is not None and len(decoded) == line_count:
        return _every(decoded)
    numbers: list[int] = []
    structs: list[Any] = []
    rejected: list[tuple[int, RowProblem]] = []
    blank = 0
    for number, line in _lines(raw):
        if not line.strip():
            blank += 1
            continue
        try:
            structs.append(decoder.decode(line))
            numbers.append(number)
        except (msgspec.DecodeError, UnicodeDecodeError, RecursionError) as exc:
            rejected.append((number, _element_problem(exc, line)))
    return numbers, structs, rejected, len(structs) + len(rejected), blank


def _problem(exc: Exception, element: bytes) -> RowProblem:
    """A msgspec validation error as a row problem: the field's path, its value, why."""
    import msgspec

    match = _ERROR.match(str(exc))
    assert match is not None  # the pattern matches any text
    message = match["message"]
    path = match["path"] or "$"
    field = _FIELD.match(message)
    if field is not None:
        path = f"{path}.{field['name']}"
        reason = (
            "required, but missing"
            if field["what"] == "missing required"
            else "unknown field: not part of an audit record (a flat export needs a mapping)"
        )
    elif path == "$" and message.startswith("Expected `object`"):
        found = message.rpartition("got ")[2].strip("`")
        return RowProblem(None, None, f"is {found}, not an object")
    else:
        reason = message[:1].lower() + message[1:]
        reason = reason.replace("`", "")
    column = path[2:] if path.startswith("$.") else path.removeprefix("$") or None
    value = None
    if field is None:
        try:
            value = display(_value_at(msgspec.json.decode(element), path))
        except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
            value = None  # the element is broken elsewhere too; its value cannot be shown
    return RowProblem(column, value, reason)


def _value_at(document: Any, path: str) -> Any:
    """The value at a msgspec path such as ``$.judgements[0].grade`` (None when absent)."""
    current = document
    for name, index in _STEP.findall(path):
        if name:
            current = current.get(name) if isinstance(current, dict) else None
        else:
            position = int(index)
            current = (
                current[position] if isinstance(current, list) and position < len(current) else None
            )
    return current
