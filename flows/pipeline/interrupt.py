"""Stopping a run on SIGTERM or Ctrl-C (SIGINT): within seconds, in one line, leaving
nothing behind.

Measured on Prefect 3.8.8: left alone, SIGTERM during Prefect's start-up killed the CLI and
orphaned the temporary server; during the flow, Prefect's own SIGTERM handler raised into
the flow, whose process pool then waited for every running batch (minutes). So `wirehouse
run` installs `install()`'s handler, and the flow re-installs it over Prefect's: on the
first signal it stops the worker processes at once (a batch's parts are never published
before the run's snapshot, and the next run collects them), then raises `Interrupted` in
the main thread, so that the flow run is reported as crashed to Prefect, the temporary
server is stopped and the lock released on the way out. If the main thread is inside a
long call that does not return to Python (a DuckDB build), a watchdog ends the process
after `GRACE_S` seconds the same way a `kill -9` would — which the crash-safety tests
show leaves the published warehouse consistent and the next run exact.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time

GRACE_S = 8.0
SIGNALS = (signal.SIGTERM, signal.SIGINT)

_installed = False
_received: int | None = None
_protected: set[int] = set()  # Prefect's temporary server: stopped by its owner, after the crash is recorded


class Interrupted(BaseException):
    """Not an Exception: no `except Exception` on the way up may swallow it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    def message(self) -> str:
        return (
            f"wirehouse: stopped by {signal.Signals(self.signum).name}; the published warehouse is the last finished "
            "run's, and the next run picks up the work"
        )


def install() -> None:
    """Handle SIGTERM and SIGINT from now on. Call from the main thread, early."""
    global _installed
    _installed = True
    reinstall()
    # The Python-level handler runs only when the main thread next runs Python code; the
    # wake-up pipe is written by the C-level handler at once, so a watcher thread starts
    # stopping the workers and the watchdog even while the main thread is inside C code.
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    threading.Thread(target=_watch, args=(read_end,), name="wirehouse-signal-watcher", daemon=True).start()


def reinstall() -> None:
    """Put the handler back over one installed since (Prefect's), if `install` was called."""
    if _installed and threading.current_thread() is threading.main_thread():
        for signum in SIGNALS:
            signal.signal(signum, _handler)


def _watch(read_end: int) -> None:
    while True:
        data = os.read(read_end, 16)
        signums = [b for b in data if b in SIGNALS]
        if signums and _first(signums[0]):
            threading.Thread(target=_watchdog, args=(signums[0],), name="wirehouse-stop-watchdog", daemon=True).start()
            stop_children()


_first_lock = threading.Lock()


def _first(signum: int) -> bool:
    global _received
    with _first_lock:
        if _received is not None:
            return False
        _received = signum
        return True


def received() -> int | None:
    return _received


def stopped_by(signum: int) -> None:
    """A stop this process learnt of from another's handler (Prefect's TerminationSignal, in a
    flow run that a Prefect worker or `serve` started): the same watchdog as our own handler
    starts, so that leaving the run never waits more than GRACE_S seconds on a batch thread or
    a pool that does not end (the full suite saw a deployment's flow run still alive 120 s after
    its worker's SIGTERM)."""
    if _first(signum):
        threading.Thread(target=_watchdog, args=(signum,), name="wirehouse-stop-watchdog", daemon=True).start()


def as_interrupted(exc: BaseException) -> Interrupted | None:
    """The stop a signal caused, whatever it became on the way up: the handler's Interrupted
    raised inside a library that wraps what it catches (pydantic's serializer, while Prefect
    is imported as the temporary server starts, turned it into a PydanticSerializationError
    'Interrupted: 15') is still that signal's stop, not a crash with a traceback. None for an
    error no signal caused."""
    if isinstance(exc, Interrupted):
        return exc
    if _received is not None and _raised.is_set() and isinstance(exc, Exception):
        return Interrupted(_received)
    return None


class BatchStopped(BaseException):
    """Raised inside a batch that runs in a thread of the run's own process when the run is
    stopped: the thread cannot be killed as a worker process is, and leaving the run waits
    for it (a batch of 200 articles: 10 s and more, past the watchdog)."""


_batch_threads: set[int] = set()


@contextlib.contextmanager
def stoppable_batch():
    """While in the block, the calling thread (never the main thread) is stopped by
    `stop_batch_threads`."""
    if threading.current_thread() is threading.main_thread():
        yield
        return
    ident = threading.get_ident()
    _batch_threads.add(ident)
    try:
        yield
    finally:
        _batch_threads.discard(ident)


def stop_batch_threads() -> None:
    """Raise BatchStopped in every thread of this process inside `stoppable_batch`: at its
    next Python instruction (between two of spaCy's minibatches at the latest), so that
    leaving the run need not wait for the batch."""
    for ident in list(_batch_threads):
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(BatchStopped))


def protect(pid: int) -> None:
    _protected.add(pid)


def unprotect(pid: int) -> None:
    _protected.discard(pid)


def stop_children(include_protected: bool = False, timeout: float = 2.0) -> None:
    """Terminate every descendant process (workers, Prefect's server if asked), then kill
    those still alive after `timeout` seconds."""
    import psutil

    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    children = [c for c in children if not _is_resource_tracker(c)]  # it ends with us; killed, it warns
    if not include_protected:
        children = [c for c in children if c.pid not in _protected and not _under_protected(c)]
    for child in children:
        try:
            child.terminate()
        except psutil.Error:
            pass
    alive = _wait_gone(children, timeout)
    for child in alive:
        try:
            child.kill()
        except psutil.Error:
            pass
    _wait_gone(alive, timeout)


def _wait_gone(procs: list, timeout: float) -> list:
    """Those of `procs` still running after `timeout` seconds. Not psutil.wait_procs: it
    reaps our own children, and then multiprocessing, whose `waitpid` finds no child,
    takes a dead worker for a live one and its pool's shutdown never ends."""
    import psutil

    deadline = time.monotonic() + timeout
    while True:
        alive = []
        for proc in procs:
            try:
                if proc.status() != psutil.STATUS_ZOMBIE:
                    alive.append(proc)
            except psutil.Error:
                pass
        if not alive or time.monotonic() >= deadline:
            return alive
        time.sleep(0.05)


def _is_resource_tracker(proc) -> bool:
    import psutil

    try:
        return "resource_tracker" in " ".join(proc.cmdline())
    except psutil.Error:
        return False


def _under_protected(proc) -> bool:
    import psutil

    try:
        return any(p.pid in _protected for p in proc.parents())
    except psutil.Error:
        return False


def handle(signum: int, frame=None) -> None:
    """The handler itself, for code that installs its own (Prefect's Runner)."""
    _handler(signum, frame)


def _handler(signum: int, frame) -> None:
    if _raised.is_set():
        return  # one signal is enough; a second Ctrl-C must not break the clean-up
    _raised.set()
    if _first(signum):  # the watcher thread had not seen it yet
        threading.Thread(target=_watchdog, args=(signum,), name="wirehouse-stop-watchdog", daemon=True).start()
        stop_children()
    raise Interrupted(_received or signum)


_raised = threading.Event()


def release_semaphores_on_sigterm() -> None:
    """In a flow-run process Prefect started (`wirehouse serve`, `prefect worker`), where
    `install` was not called: on SIGTERM, unlink the process pool's named semaphores first,
    then let Prefect's handler run. Its runner or our `serve` kills this process if it has
    not ended within seconds, and a killed process leaves its semaphores to the resource
    tracker, which then warns of "leaked semaphore objects" after the last line. Unlinking
    only removes the names: the pool's open semaphores keep working for the processes that
    have them (a worker started after it could not open them, and none starts once the run
    is stopping)."""
    if _installed or threading.current_thread() is not threading.main_thread():
        return
    previous = signal.getsignal(signal.SIGTERM)
    if getattr(previous, "_wirehouse_releases_semaphores", False):
        return  # a second flow run in the same process

    def handler(signum: int, frame) -> None:
        _unlink_semaphores()
        if callable(previous):
            previous(signum, frame)
        elif previous != signal.SIG_IGN:  # the default: end as SIGTERM ends a process
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    handler._wirehouse_releases_semaphores = True  # type: ignore[attr-defined]
    signal.signal(signal.SIGTERM, handler)


def _unlink_semaphores() -> None:
    """Run multiprocessing's own clean-up of each named semaphore (`SemLock._cleanup`:
    unlink and tell the resource tracker), nothing else of its exit finalizers. Private
    names (Python 3.11): should they go, the tracker still unlinks them, with its warning."""
    try:
        from multiprocessing import util
        from multiprocessing.synchronize import SemLock

        for finalizer in list(util._finalizer_registry.values()):
            if getattr(finalizer, "_callback", None) is SemLock._cleanup:
                finalizer()  # runs once and leaves the registry
    except Exception:
        pass


def exit_now(code: int) -> None:
    """End the process once the run's clean-up is done: Prefect's exit handlers would
    otherwise add seconds (measured 5-7 s) to flush what a stopped run no longer needs."""
    try:
        # What multiprocessing does at a normal exit: unlink the process pool's semaphores
        # (left to its resource tracker, they end in a "leaked semaphore objects" warning,
        # which the signal tests' one-line stderr catches). There is no public call for it:
        # multiprocessing runs its finalizers only at a normal interpreter exit, which would
        # run Prefect's slow exit handlers too, and gc.collect() does not free the pool
        # (its call queue stays referenced after Prefect's task runner shuts it down;
        # measured on Python 3.11 and Prefect 3.8.8). Should the private name go, the
        # resource tracker still unlinks the semaphores, with the warning.
        from multiprocessing import util

        util._run_finalizers(0)
    except Exception:
        pass
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _watchdog(signum: int) -> None:
    time.sleep(GRACE_S)
    sys.stderr.write(Interrupted(signum).message() + "\n")
    sys.stderr.flush()
    stop_children(include_protected=True, timeout=1.0)
    os._exit(128 + signum)
