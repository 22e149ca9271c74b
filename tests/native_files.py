"""Native-form audit exports (``to_dict`` of each audit) written for the loader's tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def native_file(tmp_path: Path, rows: list[Any], lines: bool) -> Path:
    """``rows`` as a JSON Lines file (``lines``) or a JSON array, in ``tmp_path``."""
    path = tmp_path / ("audits.jsonl" if lines else "audits.json")
    if lines:
        path.write_text("".join(f"{json.dumps(r)}\n" for r in rows), encoding="utf-8")
    else:
        path.write_text(json.dumps(rows), encoding="utf-8")
    return path
