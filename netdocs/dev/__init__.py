"""Contributor tools: the benchmark, the built-site walker, a loopback server, Chromium finder.

Imports the core only, never a wing, so tests and the site build may use it freely.
"""
