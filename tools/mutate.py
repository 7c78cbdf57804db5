"""`make mutate [MODULE=path.py] [QUICK=1]`: mutation testing of the domain rule modules (mutmut 3).

mutmut changes the code one small step at a time and runs the tests against each change; a
change no test notices ("survived") is a rule the suite does not pin. The modules are
`[tool.mutmut] only_mutate` in pyproject.toml, or the ones given. Slow, so not part of CI.

Three phases:
1. mutmut generates the mutants and records which tests reach which function (its stats);
2. the first pass (tools/mutate_prepass.py) runs each module's quickest tests against all its
   mutants in one pytest session, and records the mutants they kill;
3. `mutmut run` judges the rest, each in its own fork with every test reaching it.
`--quick` stops after phase 2: the table then counts what phase 3 would judge as "not judged",
and its killed share is a lower bound.
"""
import sys
from collections import Counter
from pathlib import Path

import mutate_prepass
from mutmut import configuration
from mutmut.__main__ import (
    cli,
    collect_or_load_stats,
    copy_also_copy_files,
    copy_src_dir,
    create_mutants,
    setup_source_paths,
    store_lines_covered_by_tests,
)
from mutmut.stats import status_by_exit_code
from mutmut.workers.isolation import get_mutant_runner

WORKERS = 2


def prepare() -> None:
    """Phase 1, as the start of `mutmut run` does it (mutmut 3.8 has no command for it alone)."""
    Path("mutants").mkdir(exist_ok=True)
    copy_src_dir()
    copy_also_copy_files()
    setup_source_paths()
    store_lines_covered_by_tests()
    create_mutants(WORKERS)
    collect_or_load_stats(get_mutant_runner(WORKERS), apply_config_invalidation=True)


def judge_the_rest(modules: list[str]) -> None:
    """Phase 3: mutmut judges, by name, what the first pass left (named ones are run even when
    an earlier run recorded a result, so only the unjudged are named)."""
    names = [name for module in modules for name in mutate_prepass.untested_mutants(module)]
    if not names:
        return
    try:
        cli(["run", "--max-children", str(WORKERS), *names], standalone_mode=False)
    except SystemExit as stop:
        if stop.code not in (0, None):
            raise


def module_files(patterns: list[str]) -> list[str]:
    modules = []
    for meta in sorted(Path("mutants").rglob("*.py.meta")):
        module = str(meta.relative_to("mutants"))[: -len(".meta")]
        if any(Path(module).match(pattern) for pattern in patterns):
            modules.append(module)
    return modules


def table(modules: list[str]) -> list[tuple[str, Counter]]:
    rows = []
    for module in modules:
        codes = mutate_prepass.exit_codes(module).values()
        rows.append((module, Counter("not judged" if code is None else status_by_exit_code[code] for code in codes)))
    return rows


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    patterns = [arg for arg in argv if arg != "--quick"]
    # Every listed module is prepared whatever is asked: with a narrower only_mutate, mutmut
    # would copy the other modules back unmutated and drop their results.
    prepare()
    modules = module_files(patterns or configuration.config().only_mutate)
    mutate_prepass.main(modules)
    if not quick:
        judge_the_rest(modules)
    print(f"\n{'module':<45} {'killed':>7} {'survived':>9} {'not judged':>11} {'other':>6} {'killed %':>9}")
    for module, counts in table(modules):
        killed, survived, unjudged = counts["killed"] + counts["timeout"], counts["survived"], counts["not judged"]
        other = sum(counts.values()) - killed - survived - unjudged
        share = 100 * killed / max(killed + survived + unjudged, 1)
        print(f"{module:<45} {killed:>7} {survived:>9} {unjudged:>11} {other:>6} {share:>8.0f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
