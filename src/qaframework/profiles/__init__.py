"""The profile machinery: how council profiles are found, built, checked and compared.

- :mod:`~qaframework.profiles.hookspecs`: the hooks a plugin implements;
  :mod:`~qaframework.profiles.plugins`: the one plugin manager and entry-point discovery;
  :mod:`~qaframework.profiles.builtin`: the core's default hook implementations.
- :mod:`~qaframework.profiles.registry`: the installed profiles and
  :func:`~qaframework.profiles.registry.load_profile`, the version in force on a date;
  :mod:`~qaframework.profiles.cache`: validated profiles kept between processes.
- :mod:`~qaframework.profiles.validation`: a profile data file to a
  :class:`~qaframework.policy.profile.Profile`, every problem with its path;
  :mod:`~qaframework.profiles.converter`: the one cattrs converter, strict both ways.
- :mod:`~qaframework.profiles.invariants`: the invariants every council's policy keeps;
  :mod:`~qaframework.profiles.diff`: what changed between two versions.

It sits above the engines, whose values it builds, and below the adapters.
"""
