"""`policypress check links`, by step: gather.py finds every link and where it is written;
settings.py reads checks.yml and the options; verdicts.py checks each unique address once
(cache, retries, private networks refused, GOV.UK's content API), running LinkChecker through
linkchecker_engine.py; judge.py turns verdicts into findings; report.py is the check's entry
point (run) and writes the table, JSON and HTML report.
"""
