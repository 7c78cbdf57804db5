"""`make bench`: performance as ratios against the bare database or Python limit, measured
on the same machine in the same run (never absolute pass/fail timings). See benchmarks/run.py."""
