"""First pass of `make mutate`: one pytest session per module kills what the quick tests kill.

mutmut judges each mutant in a fresh fork that runs every test reaching the mutated
function. That verdict is the one that counts, but on two cores a module the whole suite
reaches (the calendar, the step table) takes hours, and most of its mutants fail the first
quick test. So this pass collects, once, the quickest tests that reach each function of a
module (mutmut's own stats say which) and runs them against every mutant of the module in
turn: mutmut's trampoline reads MUTANT_UNDER_TEST on each call, so no new process is needed.

A mutant that makes a test fail here is recorded as killed in mutmut's own results; the rest
keep no result, so the `mutmut run` that follows gives them the full verdict. A kill counts
only when the failing test passes again at once with no mutant (see pytest_runtestloop).

Run from the project root after mutmut has generated its mutants and stats:
    python tools/mutate_prepass.py supervision/calendar.py ...
"""
from __future__ import annotations

import functools
import gc
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

from mutmut.utils.format_utils import mangled_name_from_mutant_name

QUICK_TESTS = 60  # per function: at most this many of the tests reaching it, the module's own first
PROGRESS_EVERY = 50
MEMORY_LIMIT = 6 * 2**30  # bytes of address space for the session
KILLED = 1  # the exit code mutmut records for a failing test run


def meta_path(module: str, root: Path = Path("mutants")) -> Path:
    return root / f"{module}.meta"


def exit_codes(module: str) -> dict[str, int | None]:
    """mutmut's results for the module's mutants: None for one not judged yet."""
    return json.loads(meta_path(module).read_text())["exit_code_by_key"]


def untested_mutants(module: str) -> list[str]:
    return [name for name, code in exit_codes(module).items() if code is None]


def work_file(kind: str, module: str, root: Path = Path("mutants")) -> Path:
    """The pass's own files beside mutmut's, one per module: its plan, the mutant running now."""
    return root / f".prepass-{kind}-{module.replace('/', '-')}"


def quick_tests(module: str, tests: set[str], durations: dict[str, float]) -> list[str]:
    """The module's own test files first (they import it and are named after it: test_audit_chain.py
    for audit.py), then other files importing it, then the rest, each the quickest first; mutmut's
    durations leave out fixture setup, so the count is capped too."""
    def order(test):
        test_file = test.split("::")[0]
        imports = _imports(test_file, module)
        own = imports and Path(module).stem in Path(test_file).stem
        return (not own, not imports, durations.get(test, 1.0), test)

    return sorted(tests, key=order)[:QUICK_TESTS]


@functools.cache
def _imports(test_file: str, module: str) -> bool:
    dotted = module.removesuffix(".py").replace("/", ".")
    package, _, name = dotted.rpartition(".")
    source = (Path("mutants") / test_file).read_text(encoding="utf-8")
    return dotted in source or f"from {package} import {name}" in source


def plan_for(module: str) -> dict[str, list[str]]:
    stats = json.loads((Path("mutants") / "mutmut-stats.json").read_text())
    tests_by_function = stats["tests_by_mangled_function_name"]
    durations = stats["duration_by_test"]
    plan = {}
    for mutant in untested_mutants(module):
        tests = set(tests_by_function.get(mangled_name_from_mutant_name(mutant), ()))
        if tests:
            plan[mutant] = quick_tests(module, tests, durations)
    return plan


def record_kills(module: str, killed: list[str], root: Path = Path("mutants")) -> None:
    path = meta_path(module, root)
    meta = json.loads(path.read_text())
    for mutant in killed:
        if meta["exit_code_by_key"].get(mutant, KILLED) is None:
            meta["exit_code_by_key"][mutant] = KILLED
    path.write_text(json.dumps(meta, indent=4))


def main(modules: list[str]) -> int:
    for module in modules:
        plan = plan_for(module)
        if not plan:
            print(f"{module}: nothing left for the first pass", flush=True)
            continue
        current = work_file("current", module)  # left behind if the session dies
        while plan:
            current.unlink(missing_ok=True)
            _first_pass(module, plan)
            if not current.exists():
                break
            # The session died (a mutant that eats all memory, or exits): that mutant is detected,
            # as mutmut counts a crashed run; the pass goes on with the ones after it.
            crashed = current.read_text()
            record_kills(module, [crashed])
            print(f"{module}: {crashed} crashed the session (killed); going on", flush=True)
            plan = plan_for(module)
        print(f"{module}: first pass done, {len(untested_mutants(module))} left for mutmut", flush=True)
    return 0


def _first_pass(module: str, plan: dict[str, list[str]]) -> None:
    plan_file = work_file("plan", module)
    plan_file.write_text(json.dumps(plan))
    tests = sorted({test.split("::")[0] for tests in plan.values() for test in tests})
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "mutate_prepass", *tests],
        cwd="mutants", env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.absolute()),
                            "PREPASS_PLAN": plan_file.name, "PREPASS_MODULE": module, "MUTANT_UNDER_TEST": ""},
        check=False,
    )


# ---- the pytest plugin, loaded into the session that runs inside mutants/ ----

@functools.cache
def _caches() -> list:
    return [obj for obj in gc.get_objects() if isinstance(obj, functools._lru_cache_wrapper)
            and getattr(obj, "__module__", "").startswith("supervision")]


def _clear_caches() -> None:
    """A cached result computed under one mutant must not answer for the next."""
    for cache in _caches():
        cache.cache_clear()


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout("mutant took too long")


class _SessionOnly:
    """Stands for "the next test" in teardowns: every fixture ends but the session's, so the
    app and its database are built once, whatever test runs next."""

    def __init__(self, session):
        self.session = session

    def listchain(self):
        return [self.session]


def _first_failure(items: list, mutant: str, seconds: int):
    """The first of `items` that fails with `mutant` active (a timeout counts), else None."""
    from _pytest.runner import runtestprotocol

    os.environ["MUTANT_UNDER_TEST"] = mutant
    _clear_caches()
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    item = None
    try:
        for item in items:
            reports = runtestprotocol(item, log=False, nextitem=_SessionOnly(item.session))
            item._initrequest()
            if any(report.failed for report in reports):
                return item
        return None
    except _Timeout:
        return item
    finally:
        signal.alarm(0)
        os.environ["MUTANT_UNDER_TEST"] = ""
        if items:
            items[0].session._setupstate.teardown_exact(_SessionOnly(items[0].session))


def pytest_runtestloop(session):
    """A clean run first (a test that fails with no mutant is left out), then each mutant. A
    kill counts only when the test that failed passes again right after, with no mutant: a
    mutant that left state behind in the process cannot make the next one look killed."""
    import supervision

    # A mutant that allocates without end meets MemoryError (a failed test) before the OOM killer.
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    assert "mutants" in Path(supervision.__file__).parts, "the first pass must import the mutated code"
    plan = json.loads(Path(os.environ["PREPASS_PLAN"]).read_text())
    by_id = {item.nodeid: item for item in session.items}
    everything = [by_id[t] for t in dict.fromkeys(t for tests in plan.values() for t in tests) if t in by_id]
    failing_clean = set()
    while (failure := _first_failure([i for i in everything if i not in failing_clean], "", 900)) is not None:
        failing_clean.add(failure)
    if failing_clean:
        print(f"prepass: {len(failing_clean)} tests fail with no mutant; left out", flush=True)
    killed, unconfirmed, started = [], [], time.perf_counter()
    killer = {}  # function -> the test that last killed one of its mutants: it is tried first
    for tried, (mutant, tests) in enumerate(plan.items(), start=1):
        function = mangled_name_from_mutant_name(mutant)
        items = [by_id[t] for t in tests if t in by_id and by_id[t] not in failing_clean]
        work_file("current", os.environ["PREPASS_MODULE"], root=Path(".")).write_text(mutant)
        if killer.get(function) in items:
            items.insert(0, items.pop(items.index(killer[function])))
        failure = _first_failure(items, mutant, 120)
        if failure is not None:
            if _first_failure([failure], "", 120) is None:
                killed.append(mutant)
                killer[function] = failure
            else:
                unconfirmed.append(mutant)
        if tried % PROGRESS_EVERY == 0 or tried == len(plan):
            record_kills(os.environ["PREPASS_MODULE"], killed, root=Path("."))
            print(f"prepass: {tried}/{len(plan)} tried, {len(killed)} killed, {len(unconfirmed)} unconfirmed, "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
    work_file("current", os.environ["PREPASS_MODULE"], root=Path(".")).unlink(missing_ok=True)
    return True


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
