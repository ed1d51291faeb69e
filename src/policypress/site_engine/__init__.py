"""The site adapter: the one place that knows MkDocs, ProperDocs and the Material theme.

dialect.py defines the Markdown extensions once (the site, the sanitiser, the internal-link check
and the PDF read Markdown alike); material.py holds the theme's CSS class names and variables;
mkdocs_driver.py writes each school's config and builds it with MkDocs, or with ProperDocs when
the environment variable POLICYPRESS_SITE_ENGINE is `properdocs`; config_check.py holds the
project's mkdocs.yml to what may be built (Material, its safe built-in plugins, nothing from
another website, no hooks or python tags), each problem at `mkdocs.yml:line`, before any build.

This package may import only policypress.core and third-party libraries (Markdown, PyYAML,
MkDocs, ProperDocs); nothing outside it imports mkdocs or properdocs, or writes a Material class name.
"""
