"""The MkDocs build: macros that render snippets, hooks, bundles, diagrams, search.

The top layer: may import the core, ``netdocs.check``, ``netdocs.kind`` (its report) and
``netdocs.dev``; nothing below imports it.
"""
