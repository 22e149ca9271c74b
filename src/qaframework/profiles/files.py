"""Reading a file a user names, safely: a regular file only, and no more than a limit.

Exports, mappings, profiles and side files are named by users, and a name can point at
anything: a named pipe (reading it waits for a writer forever), ``/dev/zero`` (reading it
never ends), a directory, or a file far larger than a council's export. Each reader here
refuses what is not a regular file before reading a byte, and a file larger than its limit,
with a reason the caller turns into its own error naming the file. A pipe is opened
without waiting (``O_NONBLOCK``), so that even a name swapped for a pipe after the check
cannot hang the process.

Nothing here imports anything of qaframework: every layer may use it.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Generator, Iterator

__all__ = [
    "ENV_MAX_BYTES",
    "FileRefused",
    "export_limit",
    "read_regular",
    "regular_blocks",
    "regular_line_slices",
]

ENV_MAX_BYTES = "QAFRAMEWORK_MAX_EXPORT_BYTES"
"""The environment variable setting the largest export read, in bytes (``500M``, ``2G``)."""

DEFAULT_MAX_BYTES = 2 * 1024**3
"""The largest export read when nothing else is said: 2 GiB, above a million audits of
native JSON (about 1.9 GB) and far above any council's quarter."""

_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
_BLOCK = 1 << 20


class FileRefused(Exception):
    """A file cannot be read; the message says why, without the file's name."""


def parse_size(text: str) -> int:
    """A size in bytes from ``123``, ``500K``, ``20M``, ``2G`` (powers of 1024; a trailing
    ``B`` or ``iB`` allowed). :class:`ValueError` for anything else."""
    value = text.strip().upper().removesuffix("IB").removesuffix("B")
    unit = value[-1:] if value[-1:] in _UNITS and value[-1:] != "" else ""
    number = value[: len(value) - len(unit)].strip()
    if not number.isdigit():
        raise ValueError(f"{text!r} is not a size: give bytes, or a number with K, M or G")
    return int(number) * _UNITS[unit]


def export_limit(limit: int | None = None) -> int:
    """The largest export to read: ``limit`` when given, else ``QAFRAMEWORK_MAX_EXPORT_BYTES``
    when set, else :data:`DEFAULT_MAX_BYTES`. :class:`FileRefused` for a setting that is not
    a size."""
    if limit is not None:
        return limit
    configured = os.environ.get(ENV_MAX_BYTES, "").strip()
    if not configured:
        return DEFAULT_MAX_BYTES
    try:
        return parse_size(configured)
    except ValueError as exc:
        raise FileRefused(f"cannot be read: {ENV_MAX_BYTES}: {exc}") from None


def describe_size(size: int) -> str:
    """A size for a message: ``2.0 GiB``, ``512 KiB``, ``300 bytes``."""
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refuse_unless_regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise FileRefused(f"is {_kind(mode)}, not a file: give the path of a saved file")


def _too_large(size: int, limit: int) -> FileRefused:
    return FileRefused(
        f"is larger than the limit of {describe_size(limit)} ({size:,} bytes or more): split "
        f"it, or raise the limit ({ENV_MAX_BYTES}, or --max-size on the command line)"
    )


def _unreadable(exc: OSError) -> FileRefused:
    return FileRefused(f"cannot be read: {exc.strerror or exc}")


def _size_within(descriptor: int, limit: int | None) -> int:
    """The open file's size; :class:`FileRefused` before anything is read when it is over
    ``limit``."""
    size = os.fstat(descriptor).st_size
    if limit is not None and size > limit:
        raise _too_large(size, limit)
    return size


def _open(path: str) -> int:
    try:
        _refuse_unless_regular(os.stat(path).st_mode)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise _unreadable(exc) from None
    try:
        _refuse_unless_regular(os.fstat(descriptor).st_mode)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _blocks(descriptor: int, limit: int | None, *, size: int = _BLOCK) -> Iterator[bytes]:
    """The file's blocks, the first of up to ``size`` bytes."""
    total = 0
    while True:
        try:
            block = os.read(descriptor, size)
            size = _BLOCK
        except OSError as exc:
            raise _unreadable(exc) from None
        if not block:
            return
        total += len(block)
        if limit is not None and total > limit:
            raise _too_large(total, limit)
        yield block


def regular_blocks(path: str, limit: int | None = None) -> Iterator[bytes]:
    """The bytes of the regular file at ``path`` in blocks; :class:`FileRefused` when it is
    not a regular file, cannot be read, or holds more than ``limit`` bytes (a file whose size
    is over the limit is refused before it is read, as :func:`read_regular` does)."""
    descriptor = _open(path)
    try:
        _size_within(descriptor, limit)
        yield from _blocks(descriptor, limit)
    finally:
        os.close(descriptor)


def regular_line_slices(
    path: str, limit: int | None, size: int
) -> Generator[bytes, bytes | None, None]:
    """The bytes of the regular file at ``path`` in slices of about ``size`` bytes, each
    ending at a line feed (the last at the file's end; one ends past ``size`` only where no
    line feed comes sooner), so that a large file is never held whole. :class:`FileRefused`
    as :func:`read_regular` raises it: a file over ``limit`` is refused before it is read.

    The file is read into one buffer, used again for every slice; each slice is one copy
    of its bytes. Bytes sent to the generator (``send``) begin every slice after the one
    it is resumed at, in the same copy (a CSV export's header line, so that each slice
    parses as the file would)."""
    descriptor = _open(path)
    try:
        found = _size_within(descriptor, limit)
        reader = io.FileIO(descriptor, closefd=False)
        # No larger than the file: a small file is one slice, read in one call.
        buffer = bytearray(max(1, min(size, found + 1)))
        held = total = 0
        prefix = b""
        while True:
            if held == len(buffer):
                # A line longer than the buffer: room for more of it.
                buffer.extend(bytes(len(buffer)))
            try:
                with memoryview(buffer) as view:
                    count = reader.readinto(view[held:]) or 0
            except OSError as exc:
                raise _unreadable(exc) from None
            if count == 0:
                break
            total += count
            if limit is not None and total > limit:
                raise _too_large(total, limit)
            held += count
            if held < len(buffer):
                continue
            cut = buffer.rfind(b"\n", 0, held) + 1
            if cut == 0:
                continue
            with memoryview(buffer) as view:
                part = prefix + view[:cut] if prefix else bytes(view[:cut])
            sent = yield part
            if sent is not None:
                prefix = sent
            buffer[: held - cut] = buffer[cut:held]
            held -= cut
        if held:
            with memoryview(buffer) as view:
                part = prefix + view[:held] if prefix else bytes(view[:held])
            yield part
    finally:
        os.close(descriptor)


def read_regular(path: str, limit: int | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (see :func:`regular_blocks`); a file whose
    size is over the limit is refused before it is read."""
    descriptor = _open(path)
    try:
        size = _size_within(descriptor, limit)
        # The size the file says in one read (no copy of a large file joined from blocks),
        # then blocks until the end, should it have grown.
        blocks = list(_blocks(descriptor, limit, size=size + 1))
        return blocks[0] if len(blocks) == 1 else b"".join(blocks)
    finally:
        os.close(descriptor)
