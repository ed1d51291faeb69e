"""The command line: one thin module per command, gathered by cli.py, the one place that maps
errors to messages and exit codes. A command parses its options and calls one function below it.

May import: every other policypress package; nothing imports policypress.commands.
"""
