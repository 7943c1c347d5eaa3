"""Offline verdicts on manifests and shell steps: YAML, schemas, values, CRDs and their CEL rules, cross-object rules.

Used by the site's build, the kind tier and ``nox -s validate``. Imports the core only:
never ``netdocs.kind``, ``netdocs.site`` or ``netdocs.dev``.
"""
