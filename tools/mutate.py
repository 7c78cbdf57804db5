"""`make mutate [MODULE=path.py]`: mutation testing of the domain rule modules (mutmut 3).

mutmut changes the code one small step at a time and runs the tests against each change; a
change no test notices ("survived") is a rule the suite does not pin. Prints a table of
killed / survived per module. The modules are `[tool.mutmut] only_mutate` in pyproject.toml,
or the one given. Slow, so not part of CI.
"""
import json
import sys
from collections import Counter
from pathlib import Path

from mutmut import configuration
from mutmut.__main__ import cli
from mutmut.stats import status_by_exit_code


def run(modules: list[str]) -> None:
    if modules:
        configuration.config().only_mutate = modules
    try:
        cli(["run", "--max-children", "2"], standalone_mode=False)
    except SystemExit as stop:
        if stop.code not in (0, None):
            raise


def table(modules: list[str]) -> list[tuple[str, Counter]]:
    rows = []
    for meta in sorted(Path("mutants").rglob("*.py.meta")):
        module = str(meta.relative_to("mutants"))[: -len(".meta")]
        if modules and module not in modules and not any(Path(module).match(m) for m in modules):
            continue
        codes = json.loads(meta.read_text())["exit_code_by_key"].values()
        rows.append((module, Counter(status_by_exit_code[code] for code in codes)))
    return rows


def main() -> int:
    modules = sys.argv[1:]
    run(modules)
    print(f"\n{'module':<45} {'killed':>7} {'survived':>9} {'other':>6} {'killed %':>9}")
    for module, counts in table(modules or configuration.config().only_mutate):
        killed, survived = counts["killed"] + counts["timeout"], counts["survived"]
        other = sum(counts.values()) - killed - survived
        share = 100 * killed / max(killed + survived, 1)
        print(f"{module:<45} {killed:>7} {survived:>9} {other:>6} {share:>8.0f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
