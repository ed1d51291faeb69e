"""Reading the source: YAML with the line of every key, validation with messages a school office
can act on, the schema of every file, the project's types (project.py, apart from the code that
reads them), policy text as lines that remember their file, and the approvals records.

May import: policypress.core, and within policypress.source. Never composes or renders.
"""
