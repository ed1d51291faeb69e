"""What governors need: recording an approval (approve), what changed since it (redline), and
the pack for a meeting (pack), never published on the site.

May import: policypress.core, site_engine, source, compose, outputs, checks.
"""
