"""policypress: one source of school policies, a website and PDFs per school, checked."""

__version__ = "0.1.0"
