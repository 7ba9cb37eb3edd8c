"""Build: which outputs changed, one build at a time, a pool of workers, the report.

``run.build`` reads top to bottom as the pipeline: fingerprints (inputs),
the lock (lock), outputs and layouts (plan), workers (schedule, writer),
what each output records (record, report); releases package what was built.
"""
