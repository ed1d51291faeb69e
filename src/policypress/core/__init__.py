"""Foundation shared by every stage: the one error hierarchy (errors), date arithmetic and the
build date (dates), and the one way to write files atomically and swap a site in (files).

May import: nothing from policypress outside core (the standard library only).
"""
