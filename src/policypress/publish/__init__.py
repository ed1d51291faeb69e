"""Publishing: the whole build (validate, render, check internal links, draw, PDFs, sites, the
trust index and review reports) and the live preview of one school.

May import: policypress.core, site_engine, source, compose, outputs, checks.
"""
