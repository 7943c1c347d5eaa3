"""The kind tier: prove every example on a real multi-node kind cluster.

Pure parts (cluster config, add-on plan, probes and their parsers, placeholder resolution,
the retry logic, the report) are tested offline; the parts that need Docker run only under
``nox -s kind``. This package imports nothing heavy, so ``noxfile.py`` can ask
``netdocs.kind.docker`` whether Docker is there before it installs anything.
Imports the core and ``netdocs.check`` only, never ``netdocs.site`` or ``netdocs.dev``.
"""
