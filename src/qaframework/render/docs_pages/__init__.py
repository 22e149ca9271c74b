"""Council pages for the documentation site, written from the profiles themselves.

The site's page for a council is generated on every build from the council's installed
profile versions, so it cannot drift from the data: :func:`council_page` turns the versions
of one council into Markdown, and :func:`councils_index` lists the councils. Each version's
section gives the QA activity at-a-glance table (who in the council's own titles, how often
in English, how many, to which forums the findings go), the standards with what good looks
like and how it is measured, the grade scale and its ILACS crosswalk, the roles, forums and
reporting lines, moderation and escalation as flows, the closing-the-loop timescales, the
assumptions the profile makes, and a numbered citation (source document, section, quote) for
every fact shown. Between consecutive versions the page states the gap: days no version
covers, and what changed (:func:`qaframework.profiles.diff.diff_profiles`).

Flows are Mermaid diagrams (a ``mermaid`` fenced block, which the site's Markdown
configuration renders). Their node ids are generated (``n1``, ``n2`` ...) and every label is
quoted, with the characters Mermaid reads as syntax written as its entity codes
(:func:`mermaid_text`), so no council's wording can break a diagram.

The module is pure: it reads :class:`~qaframework.policy.profile.Profile` values and returns text.
The MkDocs hook that loads the installed profiles and adds the pages lives with the site
(``docs/hooks/councils.py``).

The package's modules, each one part:

- :mod:`~qaframework.render.docs_pages.text`: safe running text, Mermaid labels, slugs and
  tables;
- :mod:`~qaframework.render.docs_pages.words` and
  :mod:`~qaframework.render.docs_pages.diagrams`: rules in words and as flows;
- :mod:`~qaframework.render.docs_pages.version`: one version's section;
- :mod:`~qaframework.render.docs_pages.between`: the gap and the changes between versions;
- :mod:`~qaframework.render.docs_pages.pages`: :func:`council_page` and
  :func:`councils_index`.
"""

from __future__ import annotations

from qaframework.render.docs_pages.diagrams import escalation_flow, moderation_flow, reporting_graph
from qaframework.render.docs_pages.pages import council_page, councils_index
from qaframework.render.docs_pages.text import (
    council_slug,
    markdown_text,
    mermaid_text,
    version_anchor,
)

__all__ = [
    "council_page",
    "council_slug",
    "councils_index",
    "escalation_flow",
    "markdown_text",
    "mermaid_text",
    "moderation_flow",
    "reporting_graph",
    "version_anchor",
]
