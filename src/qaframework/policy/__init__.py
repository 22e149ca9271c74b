"""Policy: what a council says, as frozen values.

The bottom layer of qaframework. Each module holds one concept of a council's quality
assurance framework as data: its grade scale (:mod:`~qaframework.policy.grades`), practice
standards, cadences (ISO 8601 durations), roles, working days, QA activities, sampling rules,
moderation policy, escalation rules, action timescales, reporting lines and forums, the
citations every fact carries, and the :class:`~qaframework.policy.profile.Profile` that holds
one dated version of all of them.

Nothing here acts on audits, reads a file or a clock, or knows how profiles are found: the
engines (:mod:`qaframework.engine`) apply these values, the profile machinery
(:mod:`qaframework.profiles`) builds and validates them from data files. Modules here import
only each other and :mod:`qaframework.errors`.
"""
