"""`policypress import`: Word files into the single source (document.py is the model every step shares)."""
