"""HTTP load on loopback: gunicorn servers on sockets bound to port 0 (never a fixed port), and a
load generator — Debian's `wrk` when installed, else threads with http.client — that posts one
JSON body per request for a bounded time and reports requests/s and latency percentiles."""
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version

CONNECTIONS = 4
WORKERS = 2


@dataclass
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int  # answers other than 2xx/3xx, and socket errors
    tool: str


# gunicorn 27 opens a control socket at one fixed path per user (~/.gunicorn/gunicorn.ctl), shared
# with every other gunicorn on the machine: the benchmark's servers need none.
_NO_CONTROL_SOCKET = ["--no-control-socket"] if int(version("gunicorn").split(".")[0]) >= 27 else []


@contextlib.contextmanager
def gunicorn(*app_specs: str, env: dict[str, str]) -> Iterator[list[int]]:
    """Serve each of `app_specs` with 2 sync workers on a free loopback port; yields the ports.

    --preload: each app is imported once by its master and the workers forked from it (creating
    the app opens no database connection), instead of every worker importing it on the two
    shared cores. At the end each server's process group (master and workers) is killed: the
    measurement is over and every answer was committed, while a graceful stop took gunicorn
    2–5 s per server on the busy machine (interpreter tear-down), landing on the next case.
    """
    processes, ports = [], []
    try:
        for app_spec in app_specs:
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", 0))
            listener.listen(128)
            port, fd = listener.getsockname()[1], listener.fileno()
            command = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--worker-class", "sync",
                       "--bind", f"fd://{fd}", "--log-level", "warning", "--timeout", "60", "--preload",
                       *_NO_CONTROL_SOCKET, app_spec]
            processes.append(subprocess.Popen(command, env=os.environ | env, pass_fds=(fd,),
                                              start_new_session=True))
            listener.close()  # gunicorn holds its own copy
            ports.append(port)
        yield ports
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: this server's processes only
            process.wait()


def post_once(port: int, path: str, body: dict, timeout: float = 60) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def load(port: int, path: str, body: dict, seconds: float) -> Load:
    if shutil.which("wrk"):
        return _wrk(port, path, body, seconds)
    return _threads(port, path, body, seconds)


def _wrk(port: int, path: str, body: dict, seconds: float) -> Load:
    script = (f"wrk.method = 'POST'\nwrk.body = {json.dumps(json.dumps(body, ensure_ascii=True))}\n"
              "wrk.headers['Content-Type'] = 'application/json'\n")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        output = subprocess.run(["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{max(1, round(seconds))}s",
                                 "--latency", "-s", lua.name, f"http://127.0.0.1:{port}{path}"],
                                check=True, capture_output=True, text=True, timeout=seconds + 60).stdout
    finally:
        os.unlink(lua.name)
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    return Load(float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
                _wrk_ms(output, "50%"), _wrk_ms(output, "99%"), errors, "wrk")


def _wrk_ms(output: str, percentile: str) -> float:
    value, unit = re.search(rf"^\s+{percentile}\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _threads(port: int, path: str, body: dict, seconds: float) -> Load:
    payload = json.dumps(body).encode()
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client():
        mine, failed = [], 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request("POST", path, payload, {"Content-Type": "application/json"})
                response = connection.getresponse()
                response.read()
                connection.close()
                failed += response.status >= 400
            except OSError:
                failed += 1
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return Load(len(latencies) / elapsed, cuts[49] * 1000, cuts[98] * 1000, errors[0], "python threads")
