"""Checks: every problem in the input collected, then one stop; and PDF preflight.

``run.load_and_check`` is what every command that reads a project calls first.
"""
