"""Running ``feedlib`` on hostile input under hard bounds, and the checks every such run shares.

Each command runs in a fresh process group with a wall-clock bound (the whole
group is killed with SIGKILL when it is passed) and an address-space bound
(``RLIMIT_AS``, inherited by worker processes), so a build that loops, backtracks
or allocates without end fails its test in seconds instead of hanging CI or the
machine. The limits are set by a small launcher that then ``exec``s the real
command, rather than by ``preexec_fn``, which is unsafe while the test process
runs threads (the WebSub tests serve HTTP from one).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Seconds a command on hostile input may take: the input must be refused in well under a second;
#: the rest is starting Python and importing feedlib on a busy 2-core machine.
HOSTILE_SECONDS = 4.0
#: Seconds any other command may take before it is killed (a build of a few posts takes about 0.5 s).
NORMAL_SECONDS = 20.0
#: Address space of the command and of each of its workers (a normal build maps about 250 MB).
MEMORY_BYTES = 1 << 30
#: No command may write a file larger than this (a runaway renderer filling the disk).
FILE_BYTES = 512 << 20
#: An error line may quote at most this many characters of a value it is about.
QUOTE_MAX = 80
#: No stderr line may be longer than this (a path in tmp_path, a message and a short quote).
LINE_MAX = 500
#: What is kept of a command's stdout and stderr.
_OUTPUT_MAX = 1 << 20

# The launcher: runs the command as its child with the limits set (and the umask, and without root's
# power to ignore file modes), and writes the child's wait status and peak memory to argv[1]. A
# launcher of its own, not pytest's process, is the parent so that the peak is the command's alone
# (a child forked from pytest would count pytest's pages as its own until it execs).
_LAUNCHER = """\
import os, resource, signal, sys
memory, fsize, umask, drop = (int(value) for value in sys.argv[2:6])
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if umask >= 0:
        os.umask(umask)
    if drop:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                os._exit(125)
    os.execv(sys.argv[6], sys.argv[6:])
with open(sys.argv[1] + ".pid", "w") as report:
    report.write(str(pid))
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{status} {usage.ru_maxrss}")
"""

# The lines feedlib ends a failed run with, which sum up rather than name a problem.
_SUMMARY = re.compile(r"^feedlib: (?:\d+ invalid posts?;|\d+ problems? in \d+ posts?)")


@dataclass
class Run:
    """What one bounded command did."""

    args: list[str]
    returncode: int | None
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float
    timed_out: bool
    bound: float
    raw_stderr: bytes = b""

    @property
    def lines(self) -> list[str]:
        """stderr, line by line."""
        return self.stderr.splitlines()

    @property
    def problem_lines(self) -> list[str]:
        """stderr lines that report a problem (not feedlib's closing count)."""
        return [line for line in self.lines if line.strip() and not _SUMMARY.match(line)]

    def describe(self) -> str:
        """A summary for assertion messages: status, time, memory and the start of the output."""
        status = f"killed after {self.bound:g} s" if self.timed_out else f"exit {self.returncode}"
        return (
            f"{status}, {self.seconds:.2f} s, max RSS {self.max_rss_mb:.0f} MB\n"
            f"--- stderr ---\n{_clip(self.stderr)}\n--- stdout ---\n{_clip(self.stdout)}"
        )


def _clip(text: str, limit: int = 3000) -> str:
    if len(text) <= limit:
        return text
    return text[: limit // 2] + f"\n[… {len(text) - limit} characters …]\n" + text[-limit // 2 :]


def _read_clipped(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(_OUTPUT_MAX)


def feedlib_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a bounded command: one process unless asked, no terminal, no colours."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FEEDLIB_", "PYTEST_"))}
    env.update({"FEEDLIB_WORKERS": "1", "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1", "TERM": "dumb"})
    env.update(extra or {})
    return env


@dataclass
class Started:
    """A bounded command that is running (see :func:`start_bounded`)."""

    args: list[str]
    process: subprocess.Popen[bytes]
    start: float
    seconds: float
    scratch: tempfile.TemporaryDirectory[str]


def start_bounded(
    command: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path,
    seconds: float = HOSTILE_SECONDS,
    memory: int = MEMORY_BYTES,
    umask: int | None = None,
    drop_file_access: bool = False,
    env: Mapping[str, str] | None = None,
) -> Started:
    """Start ``command`` in ``cwd`` under the bounds, in a process group of its own; see :func:`finish`.

    ``drop_file_access`` takes from the command (when run as root) the
    capabilities that let root read files and folders whatever their mode.
    """
    args = [os.fspath(part) for part in command]
    scratch = tempfile.TemporaryDirectory(prefix="hostile-run-")
    launcher = [
        sys.executable,
        "-c",
        _LAUNCHER,
        str(Path(scratch.name) / "status"),
        str(memory),
        str(FILE_BYTES),
        str(-1 if umask is None else umask),
        "1" if drop_file_access else "0",
        *args,
    ]
    with (
        Path(scratch.name, "stdout").open("wb") as out_file,
        Path(scratch.name, "stderr").open("wb") as err_file,
    ):
        process = subprocess.Popen(
            launcher,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out_file,
            stderr=err_file,
            env=dict(env) if env is not None else feedlib_env(),
            start_new_session=True,
        )
    return Started(args, process, time.monotonic(), seconds, scratch)


def finish(started: Started) -> Run:
    """Wait for a started command, killing its whole process group when its time is up."""
    process = started.process
    timed_out = False
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started.start > started.seconds:
            timed_out = True
            _, status, usage = _kill(started)
            break
        time.sleep(0.01)
    elapsed = time.monotonic() - started.start
    _kill_group(process.pid)  # Workers a finished command left behind.
    with started.scratch:
        folder = Path(started.scratch.name)
        raw_out, raw_err = _read_clipped(folder / "stdout"), _read_clipped(folder / "stderr")
        report = folder / "status"
        rss_kb = usage.ru_maxrss
        if report.exists():  # The command's own status and peak memory, as its launcher saw them.
            command_status, command_rss = report.read_text().split()
            status, rss_kb = int(command_status), int(command_rss)
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        args=started.args,
        returncode=None if timed_out else process.returncode,
        stdout=raw_out.decode("utf-8", "backslashreplace"),
        stderr=raw_err.decode("utf-8", "backslashreplace"),
        seconds=elapsed,
        max_rss_mb=rss_kb / 1024,
        timed_out=timed_out,
        bound=started.seconds,
        raw_stderr=raw_err,
    )


def run_bounded(command: Sequence[str | os.PathLike[str]], *, cwd: Path, **bounds: Any) -> Run:
    """Run ``command`` under the bounds (see :func:`start_bounded`) and wait for it."""
    return finish(start_bounded(command, cwd=cwd, **bounds))


def _kill(started: Started) -> tuple[int, int, Any]:
    """Kill the command (its launcher then reports its peak memory), then everything it started."""
    command = Path(started.scratch.name, "status.pid")
    if command.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(command.read_text()), signal.SIGKILL)
        end = time.monotonic() + 5
        while time.monotonic() < end:
            pid, status, usage = os.wait4(started.process.pid, os.WNOHANG)
            if pid:
                _kill_group(started.process.pid)
                return pid, status, usage
            time.sleep(0.01)
    _kill_group(started.process.pid)
    return os.wait4(started.process.pid, 0)


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def feedlib(*args: str | os.PathLike[str], cwd: Path, **bounds: Any) -> Run:
    """``python -m feedlib ARGS`` under the bounds (see :func:`start_bounded`)."""
    return run_bounded([sys.executable, "-m", "feedlib", *args], cwd=cwd, **bounds)


def python(code: str, *args: str | os.PathLike[str], cwd: Path, **bounds: Any) -> Run:
    """``python -c CODE ARGS`` under the bounds: a driver that calls feedlib with a hook in place."""
    return run_bounded([sys.executable, "-c", code, *args], cwd=cwd, **bounds)


# -- checks ----------------------------------------------------------------------------------------


def assert_bounded(run: Run) -> None:
    """The command ended by itself, within its time bound, without a traceback or running out of memory."""
    assert not run.timed_out, f"did not finish within {run.bound:g} s: {run.describe()}"
    assert "Traceback" not in run.stderr, f"a traceback instead of a message: {run.describe()}"
    assert "MemoryError" not in run.stderr, f"ran out of memory: {run.describe()}"
    assert run.returncode is not None and run.returncode >= 0, f"killed by a signal: {run.describe()}"


def assert_lines_short(run: Run, *values: str) -> None:
    """No stderr line is overlong, and none quotes more than :data:`QUOTE_MAX` characters of ``values``."""
    for line in run.lines:
        assert len(line) <= LINE_MAX, f"a {len(line)}-character error line: {line[:200]!r}…\n{run.describe()}"
    for value in values:
        window = QUOTE_MAX + 1
        if len(value) < window:
            continue
        for start in {0, (len(value) - window) // 2, len(value) - window}:
            piece = value[start : start + window]
            assert piece not in run.stderr, (
                f"stderr quotes over {QUOTE_MAX} characters of a value ({piece[:40]!r}…)\n{run.describe()}"
            )


def assert_one_line_each(
    run: Run,
    expected: Mapping[str, int | bool | None],
    *,
    exact: bool = True,
) -> None:
    """Exactly one problem line names each of ``expected`` (a file name, or any text that identifies it).

    A value that is an int is the line that must follow the name (``NAME:LINE:``);
    ``True``: some line number must; ``None``: the name alone is enough. With
    ``exact``, no other problem line may be printed.
    """
    problems = run.problem_lines
    for name, line in expected.items():
        naming = [text for text in problems if name in text]
        assert len(naming) == 1, (
            f"expected one stderr line naming {name!r}, got {len(naming)}: {naming[:5]}\n{run.describe()}"
        )
        if line is True:
            assert re.search(re.escape(name) + r":\d+: ", naming[0]), (
                f"the line about {name!r} gives no line number: {naming[0]!r}"
            )
        elif isinstance(line, int) and not isinstance(line, bool):
            assert f"{name}:{line}: " in naming[0], f"expected {name}:{line}: in {naming[0]!r}"
    if exact:
        extra = [text for text in problems if not any(name in text for name in expected)]
        assert not extra, f"stderr lines about nothing expected: {extra[:5]}\n{run.describe()}"


def published(out: Path) -> dict[str, bytes]:
    """Every file under ``out`` but the lock (which has tests of its own): relative path → bytes."""
    if not out.exists():
        return {}
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.name != ".feedlib.lock"
    }


def assert_nothing_published(out: Path, before: Mapping[str, bytes], run: Run) -> None:
    """The feeds under ``out`` are as they were before ``run``: absent, or byte-identical."""
    after = published(out)
    changed = sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
    assert not changed, f"published despite the problem: {changed}\n{run.describe()}"


def escaped_name(raw: bytes) -> str:
    """What a file name is expected to look like in a line: printable, with no control character."""
    return raw.decode("utf-8", "backslashreplace")


def no_control_characters(run: Run) -> list[str]:
    """stderr lines holding a raw escape, carriage return or other control character (tab aside)."""
    return [line for line in run.lines if re.search(r"[\x00-\x08\x0b-\x1f\x7f\x9b]", line)]


def write(path: Path, content: str | bytes) -> Path:
    """Write ``content`` to ``path``, making its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write each of ``files`` (relative path → content) under ``root``."""
    for name, content in files.items():
        write(root / name, content)
    return root


def links_in(document: bytes) -> Iterable[str]:
    """Every href and src value in an XML or HTML document (cheaply, by pattern)."""
    for match in re.finditer(rb'(?:href|src)="([^"]*)"', document):
        yield match.group(1).decode("utf-8", "replace")
