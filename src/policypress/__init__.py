"""policypress: one source of school policies, a website and PDFs per school, checked.

The packages are the pipeline, lowest first: core → site_engine → source → compose → outputs →
checks → governors | publish → commands. A package may import only those before it
(pyproject.toml's import-linter contract, run by scripts/test). See the README's Architecture.
"""

__version__ = "0.1.0"
