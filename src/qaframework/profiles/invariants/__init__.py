"""The invariants every council profile keeps: the policy checks beyond the data format.

Validation (:mod:`qaframework.profiles.validation`) rejects a data file that cannot be a profile.
The invariants state what a *sound* framework must be, and are re-checked here through the public
model alone, so the suite also judges a :class:`~qaframework.policy.profile.Profile` built in Python
(a plugin may register one) and stands on its own. Each invariant is an :class:`Invariant`
with an id, one sentence saying what it holds, and a check returning every
:class:`~qaframework.errors.Problem` with its profile path; :func:`check_invariants` runs them
all. The conformance kit (:mod:`qaframework.testing`) turns each into a test, and ``qaframework
profile check`` lists their problems.

Invariants of one version (:data:`INVARIANTS`):

``references``
    Every role, forum, standard, grade, reporting line and activity referenced is declared,
    and ids are unique within their section (the section's name space); every case field a
    sampling filter names is a known case field or one the profile declares.
``activities``
    Every activity has an owner (``who``), a cadence and a reporting line (``reported_via``).
    Sources are sometimes silent about where an activity's findings go, so an activity with
    no reporting line passes when an assumption of the profile names it in ``concerns``: the
    activity's path (``$.activities[file_audit]``) or its reporting field
    (``$.activities[file_audit].reported_via``). A silence is then recorded, never a silent
    default. An activity whose findings are reported somewhere the source does not say has
    ``reported_via = "not stated"`` instead (a known unknown; ``profile check`` warns).
    Several quotas of one activity (or of a sampling rule's size) are each owed per a role of
    their own, no role twice; an activity owed before or after each child's case events has
    a firm count owed per subject and no period of its own; a filter's values of a declared
    case field that lists its values are among them.
``escalation``
    Every escalation rule has recipients and a deadline no later than its follow-up; a
    follow-up is a periodic cadence; a "by the next cycle" deadline has a cycle to count from
    (a periodic activity among those the rule applies to: its ``applies_to``, or every graded
    activity).
``moderation``
    Moderation can select at least one audit whenever a cycle has audits. For each policy
    and each audit it could meet (an audit of an activity it applies to, by a role that
    undertakes that activity, of any grade), a cycle holding only that audit selects it
    under some rule: ``all``; ``proportion`` whose size for one audit is at least one;
    ``fixed`` with a count of at least one; ``per_role`` with a count of at least one and
    the audit's role; ``grade_at_or_below`` with the audit's grade at or below the rule's;
    ``by_auditor`` naming the audit's role or its generic tier. A policy whose every rule
    is ``by_auditor`` moderates a class of auditor (Manchester's Senior Managers moderate
    "all audits undertaken by front line managers"): the audits it could meet are those of
    that class. A cycle of one audit is the hardest case: more audits never shrink a
    selection. A rule that can select nothing at all (a count or maximum of zero, a
    ``per_role`` or ``by_auditor`` rule whose roles undertake none of the activities) is a
    problem too, as is a policy applying to an activity that produces no graded audits.
``crosswalk``
    Every grade scale (the profile's, and each of its other ``scales``) has at least two
    grades, its good-or-better threshold is one of them, and its ILACS crosswalk is
    monotone: a better grade never maps to a worse judgement.
``citations``
    Every fact has a citation whose source is a declared source document and whose section
    is named. (An assumption's citation is optional: it points at a silence; and the
    profile's ``role_checks`` may rest on an assumption naming ``$.role_checks`` instead.)
``assumptions``
    Every path an assumption names in ``concerns`` points into the profile, and names items
    by id (``$.activities[file_audit].cadence``): a path that reaches an item with an id by
    its place (``$.activities[3]``) is refused, with the id path to write instead, as a
    place points at another item once items are added, removed or reordered.
``complete``
    Nothing is left to fill in. A scaffolded profile marks each part its author must write
    with a string starting with :data:`FILL_IN` (``"FILL IN: the council's name"``), which
    the strict converter accepts like any text; every such string is reported, with its
    path, as ``incomplete``. A part that is not text (a date, a count) is marked by an
    assumption whose text starts with :data:`FILL_IN` and whose ``concerns`` name the parts:
    each is reported too. So an unfilled section is never taken for a real value.

Invariants across the versions of one profile (:data:`VERSION_INVARIANTS`, run by
:func:`check_versions`):

``round_trip``
    Every version survives the converter: its plain data
    (:func:`~qaframework.profiles.converter.to_dict`) reads back through
    :func:`~qaframework.profiles.converter.from_dict` and through
    :func:`~qaframework.profiles.validation.profile_from_data` to an equal profile.
``dates``
    The versions belong to one profile id, no two take effect on the same day, and none
    runs (``effective_to``) past the day the next takes effect.
``assumption_paths``
    An assumption kept from one version to the next (the same id, naming the same path)
    names the same item in both: a path by place (``$.activities[3]``) whose item changed,
    or a path whose item is gone, is reported (:func:`qaframework.profiles.diff.concern_shifts`).

That every version *loads* is checked where versions are loaded, by the registry; the
conformance kit reports a version that fails to load as a failure of this suite.

All checks are pure: they read the profile and nothing else. The size of a proportional
moderation sample is a plugin hook (``moderation_sample_size``); callers that honour plugins
pass ``sample_size=hook_sample_size(profile)`` (the conformance kit does), and the core rule
is used otherwise.

The package's modules, each one part:

- :mod:`~qaframework.profiles.invariants.model`: what an invariant is, :data:`FILL_IN` and
  the sizing of moderation samples;
- :mod:`~qaframework.profiles.invariants.walking`: walking a profile's public model;
- :mod:`~qaframework.profiles.invariants.references`,
  :mod:`~qaframework.profiles.invariants.sections` and
  :mod:`~qaframework.profiles.invariants.provenance`: the checks;
- :mod:`~qaframework.profiles.invariants.one_version`: :data:`INVARIANTS` and
  :func:`check_invariants`;
- :mod:`~qaframework.profiles.invariants.across_versions`: :data:`VERSION_INVARIANTS` and
  :func:`check_versions`.
"""

from __future__ import annotations

from qaframework.profiles.invariants.across_versions import VERSION_INVARIANTS, check_versions
from qaframework.profiles.invariants.model import (
    FILL_IN,
    Invariant,
    SampleSize,
    VersionInvariant,
    core_sample_size,
    hook_sample_size,
)
from qaframework.profiles.invariants.one_version import INVARIANTS, check_invariants
from qaframework.profiles.invariants.references import REFERENCE_FIELDS

__all__ = [
    "FILL_IN",
    "INVARIANTS",
    "REFERENCE_FIELDS",
    "VERSION_INVARIANTS",
    "Invariant",
    "SampleSize",
    "VersionInvariant",
    "check_invariants",
    "check_versions",
    "core_sample_size",
    "hook_sample_size",
]
