"""Run blocking, untrusted-input work (file parsing) away from the event loop.

A hostile PDF must neither block the bot nor kill it, so parsing runs in
another process with a hard time limit and an address-space limit; the event
loop only waits on a socket. Nothing that process raises travels back except
our own `ResumeBotError`s, whose texts never quote the file.

Workers. Forking a fresh child per review cost 23-28 ms each time, so a small
pool of worker processes (at most `MAX_CONCURRENT_REVIEWS`, see `configure`)
takes jobs one after another: the job (function and arguments, pickled by
reference) goes down a socket, the result comes back up it. A worker that runs
past `timeout_s`, crashes, is killed by the memory limit, raises MemoryError,
ends a job `WORKER_RECYCLE_RSS_GROWTH_MB` bigger than it started or has done
`WORKER_MAX_JOBS` jobs is killed, and another is forked in its place. When
every worker is busy, or a job can't be pickled (a lambda, a closure), the job
runs in a one-off forked child exactly as before, so nothing ever queues here.

Why workers are forked lazily, from the bot process, after its imports: a
worker has to start with the parsers (pypdfium2, python-docx, the rules'
compiled regexes) already imported, or every worker pays ~0.3 s of imports
and a job's first file pays them again. So there is no `spawn` or
`forkserver` and no worker started when this module is imported: the first
job forks the first worker, from a process that has by then imported
`core.review` and everything it reads files with (a bot may call `prestart()`
once its imports are done, so even the first reviews find workers waiting). A module imported only
after a worker was forked is imported by that worker when a job first needs it.

Each worker: no core dumps and no crash traces (`_no_crash_traces`), niceness
`CHILD_NICENESS`, the default action for SIGTERM and SIGINT ignored (the bot
decides when its workers end), no sockets of the bot's but its own (a worker
must not hold the bot's Slack or Discord connections open), and the memory
limit set with RLIMIT_AS for each job. Workers are ended by `shutdown()`,
which the bots may call and which `atexit` calls anyway; a worker whose bot
died without either sees its socket close and exits.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import faulthandler
import gc
import logging
import os
import pickle
import resource
import select
import signal
import socket
import stat
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from core.errors import ParseTimeoutError, ProcessingError, ResumeBotError

if TYPE_CHECKING:  # imported where a coroutine runs: the one-file command line never loads it
    import asyncio

T = TypeVar("T")
log = logging.getLogger(__name__)

CHILD_NICENESS = 10
DEFAULT_WORKERS = 4  # MAX_CONCURRENT_REVIEWS' default, until `configure` says otherwise
# A worker is replaced after a job that left it this much bigger than when it was forked
# (resident memory), or that grew its address space by more than a quarter of the job's
# memory limit (so fragmentation never makes a later, ordinary file hit RLIMIT_AS).
WORKER_RECYCLE_RSS_GROWTH_MB = 200
WORKER_MAX_JOBS = 500  # and any worker after this many jobs (parsers' slow leaks)

_HEADER = struct.Struct("!Q")
_PR_SET_DUMPABLE = 4  # <linux/prctl.h>


def _no_crash_traces() -> None:
    """A parser that crashes on a hostile file leaves nothing behind.

    PDFium aborts when an allocation hits the memory limit; with core dumps
    on, the kernel would write the child's memory (the resume's bytes and
    text) to disk, and an inherited `faulthandler` would print a stack dump to
    the bot's stderr for an outcome we expect and report as ParseTimeoutError.
    """
    faulthandler.disable()
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(
            _PR_SET_DUMPABLE, 0, 0, 0, 0
        )  # Linux: no core, no ptrace


def _set_memory_limit(memory_mb: int | None) -> None:
    """RLIMIT_AS for the next job (soft limit only, so the worker can lift it between jobs)."""
    with contextlib.suppress(ValueError, OSError):
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = hard if memory_mb is None else memory_mb * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _outcome(fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any]:
    try:
        return "ok", fn(*args)
    except ResumeBotError as exc:
        return "error", exc
    except MemoryError:
        return "memory", ParseTimeoutError()
    except BaseException:  # a parser's traceback may quote the file: send nothing of it
        return "error", ProcessingError()


# --- one-off child: when every worker is busy, or the job can't be pickled ------------


def _child_main(
    write_fd: int,
    memory_mb: int,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    niceness: int = CHILD_NICENESS,
) -> None:
    """Runs in the forked child; always ends in os._exit, never returns to the caller's stack."""
    code = 0
    try:
        _no_crash_traces()
        _close_pool_sockets(keep=None)
        with contextlib.suppress(ValueError, OSError):
            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        with contextlib.suppress(OSError):
            os.nice(niceness)  # the bot's own loop (acks, defers) wins the CPU over reviews
        status, value = _outcome(fn, args)
        outcome = ("error" if status == "memory" else status, value)
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(payload)
        while view:
            written = os.write(write_fd, view)
            view = view[written:]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


async def _run_forked(
    fn: Callable[..., T], args: tuple[Any, ...], timeout_s: float, memory_mb: int
) -> T:
    import asyncio

    loop = asyncio.get_running_loop()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read_fd)
        _child_main(write_fd, memory_mb, fn, args)
    os.close(write_fd)
    reader = asyncio.StreamReader(limit=2**26)
    transport, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(read_fd, "rb", buffering=0)
    )
    try:
        try:
            raw = await asyncio.wait_for(reader.read(), timeout=timeout_s)
        except TimeoutError:
            raise ParseTimeoutError() from None
    finally:
        transport.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        await _reap(pid)
    return _answer(raw)


def _answer(raw: bytes) -> Any:
    """What the child sent back: its answer, or the error it raised (ours, picklable)."""
    if not raw:  # killed by the memory limit, or crashed in C code
        raise ParseTimeoutError()
    status, payload = pickle.loads(raw)
    if status == "error":
        raise payload
    return payload


def run_isolated_blocking(fn: Callable[..., T], *args: Any, timeout_s: float, memory_mb: int) -> T:
    """`run_isolated` for a process without an event loop that runs one job and exits.

    The one-file command line: a one-off child forked for the job, under the same
    limits (the memory limit, `timeout_s`, a crash reported as `ParseTimeoutError`), read
    with `select` instead of asyncio, whose import alone cost ~20 ms of that command. The
    child keeps its parent's priority: the parent only waits for it (no event loop to
    keep responsive), so lowering it would only put the person's review behind other work.
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read_fd)
        _child_main(write_fd, memory_mb, fn, args, niceness=0)
    os.close(write_fd)
    chunks: list[bytes] = []
    started = time.monotonic()
    deadline = started + timeout_s
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_fd], [], [], left)[0]:
                raise ParseTimeoutError()
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    raw = b"".join(chunks)
    log.debug(  # what ran and how long: never its arguments or its answer
        "%s ran in a one-off child: %.0f ms, %d bytes back",
        getattr(fn, "__name__", "job"),
        (time.monotonic() - started) * 1000,
        len(raw),
    )
    return _answer(raw)


# --- workers ---------------------------------------------------------------------------


def _memory_mb() -> tuple[float, float]:
    """(address space, resident) of this process in MB; peak RSS where /proc is missing."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            size, resident = statm.read().split()[:2]
        page = os.sysconf("SC_PAGE_SIZE") / 1_048_576
        return int(size) * page, int(resident) * page
    except (OSError, ValueError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return peak, peak  # peak, not current: errs on the side of recycling


def _recv_exactly(sock: socket.socket, n: int) -> bytes | None:
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        k = sock.recv_into(view[got:])
        if k == 0:
            return None
        got += k
    return bytes(buf)


def _worker_main(sock: socket.socket) -> None:
    """The worker's loop: a job in, an outcome out, until the bot closes the socket. Never returns."""
    code = 0
    try:
        _no_crash_traces()
        with contextlib.suppress(ValueError, OSError):
            signal.set_wakeup_fd(-1)  # the bot's event loop's, not ours
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            with contextlib.suppress(ValueError, OSError):
                signal.signal(
                    sig, signal.SIG_IGN
                )  # a Ctrl-C or SIGTERM to the group: the bot ends us
        _close_pool_sockets(keep=sock.fileno())
        with contextlib.suppress(OSError):
            os.nice(CHILD_NICENESS)
        jobs = 0
        start_vm, start_rss = _memory_mb()
        while True:
            header = _recv_exactly(sock, _HEADER.size)
            if header is None:
                break  # the bot closed our socket (shutdown, or it died)
            raw = _recv_exactly(sock, _HEADER.unpack(header)[0])
            if raw is None:
                break
            try:
                fn, args, memory_mb = pickle.loads(raw)
            except BaseException:
                reply: tuple[str, Any, bool] = ("unloadable", None, False)
            else:
                del raw
                _set_memory_limit(memory_mb)
                status, value = _outcome(fn, args)
                _set_memory_limit(None)
                del fn, args
                jobs += 1
                vm, rss = _memory_mb()
                recycle = (
                    status == "memory"
                    or jobs >= WORKER_MAX_JOBS
                    or rss - start_rss > WORKER_RECYCLE_RSS_GROWTH_MB
                    or vm - start_vm > memory_mb / 4
                )
                reply = ("error" if status == "memory" else status, value, recycle)
            try:
                payload = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # a result that can't travel: say so without its text
                payload = pickle.dumps(
                    ("error", ProcessingError(), True), protocol=pickle.HIGHEST_PROTOCOL
                )
            sock.sendall(_HEADER.pack(len(payload)) + payload)
            del reply, payload
    except BaseException:
        code = 1
    finally:
        os._exit(code)


@dataclass(eq=False)
class _Worker:
    pid: int
    sock: socket.socket
    pidfd: int | None


class _Pool:
    def __init__(self) -> None:
        self.size = DEFAULT_WORKERS
        self.idle: list[_Worker] = []
        self.busy: set[_Worker] = set()
        self.owner = os.getpid()

    def _fork(self) -> _Worker:
        parent_sock, child_sock = socket.socketpair()
        pid = _fork_frozen()
        if pid == 0:  # pragma: no cover - runs in the worker
            parent_sock.close()
            _worker_main(child_sock)
        child_sock.close()
        parent_sock.setblocking(False)
        pidfd = None
        with contextlib.suppress(OSError, AttributeError):
            pidfd = os.pidfd_open(pid)
        return _Worker(pid, parent_sock, pidfd)

    def acquire(self) -> _Worker | None:
        """An idle worker, a new one while under `size`, or None (the caller forks a one-off child)."""
        if self.owner != os.getpid():
            return None
        worker = None
        while self.idle and worker is None:
            worker = self.idle.pop()
            if _exited(worker.pid):  # killed while idle (the OOM killer, an operator): forget it
                _close_worker(worker)
                worker = None
        if worker is None:
            if len(self.busy) >= self.size:
                return None
            worker = self._fork()
        self.busy.add(worker)
        return worker

    def release(self, worker: _Worker) -> None:
        self.busy.discard(worker)
        if len(self.idle) + len(self.busy) < self.size:
            self.idle.append(worker)
        else:  # the pool shrank (`configure`) while it worked
            _stop(worker)

    def discard(self, worker: _Worker) -> None:
        self.busy.discard(worker)


def _fork_frozen() -> int:
    """os.fork(), with what this process holds frozen for the child's garbage collector.

    The worker's collections then never walk (nor, by touching, copy) the objects it
    inherits: the parsers, the rules' patterns, the spelling list. The parent unfreezes
    at once, so its own garbage is collected as before.
    """
    gc.freeze()
    pid = -1
    try:
        pid = os.fork()
    finally:
        if pid != 0:  # the parent, or no child at all (fork failed)
            gc.unfreeze()
    return pid


def _exited(pid: int) -> bool:
    """Has this worker died (and is now reaped)? Never blocks."""
    try:
        return os.waitpid(pid, os.WNOHANG)[0] != 0
    except ChildProcessError:
        return True


def _close_pool_sockets(keep: int | None) -> None:
    """In a freshly forked process: close every socket it inherited but `keep`.

    Another worker's socket held open here would hide that worker's death from
    the bot; a Slack or Discord connection held open here would outlive its close
    in the bot. Files stay open: a handler may still log to one.
    """
    for fd in _INHERITED_WORKER_FDS:  # other workers' sockets and pidfds, noted at fork
        with contextlib.suppress(OSError):
            os.close(fd)
    _INHERITED_WORKER_FDS.clear()
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # no /proc: the bot's own connections stay open here, as they did before
        fds = []
    for fd in fds:
        if fd <= 2 or fd == keep:
            continue
        with contextlib.suppress(OSError):
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.close(fd)


def _collect_exited(pid: int) -> None:
    """waitpid for a child known to have exited (its pidfd was readable): never blocks."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


async def _reap(pid: int, pidfd: int | None = None) -> None:
    """Collect a killed child without blocking the loop (pidfd when the kernel has it)."""
    import asyncio

    if pidfd is not None:
        loop = asyncio.get_running_loop()
        exited = loop.create_future()
        loop.add_reader(pidfd, lambda: exited.done() or exited.set_result(None))
        try:
            await exited
        finally:
            loop.remove_reader(pidfd)
        _collect_exited(pid)
        return
    with contextlib.suppress(ChildProcessError):
        await asyncio.to_thread(os.waitpid, pid, 0)


def _close_worker(worker: _Worker) -> None:
    worker.sock.close()
    if worker.pidfd is not None:
        with contextlib.suppress(OSError):
            os.close(worker.pidfd)


async def _kill(worker: _Worker) -> None:
    """SIGKILL and reap a worker; its replacement is forked when the next job needs one.

    Not now: several jobs timing out together would fork several workers back to
    back on the event loop (each fork copies the bot's page tables), stalling it.
    """
    _POOL.discard(worker)
    with contextlib.suppress(ProcessLookupError):
        os.kill(worker.pid, signal.SIGKILL)
    try:
        await _reap(worker.pid, worker.pidfd)
    finally:
        _close_worker(worker)


def _stop(worker: _Worker) -> None:
    """End an idle worker now (it is blocked reading its socket, so SIGKILL is immediate)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(worker.pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(worker.pid, 0)
    _close_worker(worker)


async def _exchange(worker: _Worker, job: bytes) -> tuple[str, Any, bool] | None:
    import asyncio

    loop = asyncio.get_running_loop()
    await loop.sock_sendall(worker.sock, _HEADER.pack(len(job)) + job)
    header = await _recv(loop, worker.sock, _HEADER.size)
    if header is None:
        return None
    raw = await _recv(loop, worker.sock, _HEADER.unpack(header)[0])
    return None if raw is None else pickle.loads(raw)


async def _recv(loop: asyncio.AbstractEventLoop, sock: socket.socket, n: int) -> bytes | None:
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        k = await loop.sock_recv_into(sock, view[got:])
        if k == 0:
            return None  # the worker died: the memory limit, or a crash in C code
        got += k
    return bytes(buf)


_POOL = _Pool()


def prestart(workers: int | None = None) -> None:
    """Fork idle workers now, up to `workers` in all (default: the pool's size).

    For a bot to call once its imports are done (see the module docstring), so
    the first reviews don't pay the forks; without it workers start on demand.
    """
    if _POOL.owner != os.getpid():
        return
    target = min(_POOL.size, _POOL.size if workers is None else workers)
    while len(_POOL.idle) + len(_POOL.busy) < target:
        _POOL.idle.append(_POOL._fork())


def configure(workers: int) -> None:
    """Keep at most `workers` worker processes (the bots pass `MAX_CONCURRENT_REVIEWS`)."""
    _POOL.size = max(1, workers)
    while _POOL.idle and len(_POOL.idle) + len(_POOL.busy) > _POOL.size:
        _stop(_POOL.idle.pop())


def shutdown(*, kill_busy: bool = False) -> None:
    """End every idle worker now; a busy one finishes its job and ends then, or now with `kill_busy`.

    Safe to call more than once, from any process (a forked child leaves the
    bot's workers alone); `atexit` calls it with `kill_busy`, so a bot that
    never calls it still leaves no worker behind. `run_isolated` forks new
    workers afterwards if it is called again.
    """
    if _POOL.owner != os.getpid():
        return
    size, _POOL.size = _POOL.size, 0
    try:
        while _POOL.idle:
            _stop(_POOL.idle.pop())
        if kill_busy:
            for worker in _POOL.busy:  # their callers reap them; at exit, nobody needs to
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.pid, signal.SIGKILL)
    finally:
        _POOL.size = size


_INHERITED_WORKER_FDS: list[int] = []


def _forget_pool_in_child() -> None:
    """In any forked child: the bot's workers are not its own. Their fds are noted (and closed by
    `_close_pool_sockets`), never closed by the garbage collector behind anyone's back."""
    fds = []
    for worker in (*_POOL.idle, *_POOL.busy):
        fds.append(worker.sock.detach())
        if worker.pidfd is not None:
            fds.append(worker.pidfd)
    _INHERITED_WORKER_FDS[:] = fds
    _POOL.idle, _POOL.busy = [], set()


os.register_at_fork(after_in_child=_forget_pool_in_child)
atexit.register(shutdown, kill_busy=True)


async def run_isolated(fn: Callable[..., T], *args: Any, timeout_s: float, memory_mb: int) -> T:
    """Run `fn(*args)` in another process; its errors come back as `ResumeBotError`s.

    A job that runs past `timeout_s`, exceeds `memory_mb` or crashes becomes a
    `ParseTimeoutError`, and its worker is replaced; the bot process is never at risk.
    """
    import asyncio

    try:
        job = pickle.dumps((fn, args, memory_mb), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a lambda or a closure: a one-off child inherits it instead
        return await _run_forked(fn, args, timeout_s, memory_mb)
    worker = _POOL.acquire()
    if worker is None:
        del job
        return await _run_forked(fn, args, timeout_s, memory_mb)
    try:
        reply = await asyncio.wait_for(_exchange(worker, job), timeout=timeout_s)
    except TimeoutError:
        await _kill(worker)
        raise ParseTimeoutError() from None
    except OSError:  # its socket broke mid-job: it died, like a crash
        await _kill(worker)
        raise ParseTimeoutError() from None
    except BaseException:  # cancelled, or the socket broke: the worker's state is unknown
        await asyncio.shield(_kill(worker))
        raise
    if reply is None:
        await _kill(worker)
        raise ParseTimeoutError()
    status, payload, recycle = reply
    if status == "unloadable":  # its module can't be imported by name here: inherit it instead
        _POOL.release(worker)
        return await _run_forked(fn, args, timeout_s, memory_mb)
    if recycle:
        await _kill(worker)
    else:
        _POOL.release(worker)
    if status == "error":
        raise payload
    return payload
