"""Tooling for the Kubernetes networking knowledge base: three wings over a small core.

Core (this folder): the example inventory (``examples``), behaviour checks as data
(``behaviour``), bilingual text, paths and version pins. It imports no wing.
Wings: ``check`` (offline verdicts), ``kind`` (the cluster tier), ``site`` (the MkDocs
build), and ``dev`` (contributor tools). Imports run core <- check <- kind <- site;
dev on the core only; the front door (``cli``, ``__main__``) may import anything.
"""
