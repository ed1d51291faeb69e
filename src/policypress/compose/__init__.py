"""Composing and rendering: overlays (trust then school), cross-file checks, the facts a policy may
use (declared once in fact_types.py), sandboxed Jinja2, sanitising, flowcharts resolved per
school, provenance of every word, and load_project (read, check, render: every problem at once).

May import: policypress.core, policypress.site_engine (the Markdown dialect), policypress.source.
"""
