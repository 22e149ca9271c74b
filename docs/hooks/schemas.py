"""MkDocs hook: the JSON Schemas of the profile format and of audit records, published with
the site as ``schemas/profile.schema.json`` and ``schemas/audit.schema.json``.

The files are the ones shipped in the package (``qaframework/profiles/schemas/``), which
``tests/test_schemas.py`` holds equal to what :mod:`qaframework.profiles.schema` generates
from the attrs classes; nothing is written to ``docs/``.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from qaframework.profiles.schema import SCHEMA_FILES, schema_text, shipped_schema

FOLDER = "schemas"


def on_files(files: Files, config: MkDocsConfig, **kwargs: Any) -> Files:
    """Add each shipped schema to the site."""
    for name, file in SCHEMA_FILES.items():
        files.append(
            File.generated(config, f"{FOLDER}/{file}", content=schema_text(shipped_schema(name)))
        )
    return files
