"""Outputs made from rendered schools: site pages and policies.json (pages), the PDFs (pdf, the
only module that imports WeasyPrint), flowchart pictures (diagrams, the only module that runs
Graphviz) and figures, and iCalendar feeds. MkDocs itself is driven by policypress.site_engine.

May import: policypress.core, site_engine, source, compose. Never the checks or the commands.
"""
