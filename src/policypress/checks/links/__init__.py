"""`policypress check links`, by step: gather.py finds every link and where it is written;
settings.py reads checks.yml and the options; verdicts.py checks each unique address once
(cache, retries, what each answer means, faults of this side told apart from the websites'),
asking GOV.UK's content API through govuk.py and fetching through fetch.py (policypress's own
engine: one hop at a time, every hop checked against the private-address rule, a deadline per
address); judge.py turns verdicts into findings; report.py is the check's entry point (run) and
writes the table, JSON and HTML report.
"""
