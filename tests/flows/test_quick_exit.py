"""Processes end without the interpreter's last garbage collections over their heap."""

from __future__ import annotations

import subprocess
import sys

from flows.quick_exit import SERVER_MAIN


def test_a_process_freezes_its_objects_at_exit():
    """The handler runs at exit, after the ones registered later (atexit runs them last
    first): by the time the interpreter clears its modules, no object is left to trace."""
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: sys.stdout.write(f'frozen={gc.get_freeze_count() > 1000}'))\n"
        "from flows.quick_exit import freeze_at_exit\n"
        "freeze_at_exit(); freeze_at_exit()\n"  # twice: registered once
        "import json, decimal\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "frozen=True"
    plain = code.replace("freeze_at_exit(); freeze_at_exit()", "pass")
    assert subprocess.run([sys.executable, "-c", plain], capture_output=True, text=True, check=True).stdout == "frozen=False"


def test_the_servers_command_is_uvicorns():
    """`python -c SERVER_MAIN ARGS` reads its arguments as `python -m uvicorn ARGS` does."""
    ours = subprocess.run([sys.executable, "-c", SERVER_MAIN, "--help"], capture_output=True, text=True)
    theirs = subprocess.run([sys.executable, "-m", "uvicorn", "--help"], capture_output=True, text=True)
    assert (ours.returncode, ours.stdout) == (theirs.returncode, theirs.stdout)
    assert "--app-dir" in ours.stdout
    bad = subprocess.run([sys.executable, "-c", SERVER_MAIN, "--no-such-option"], capture_output=True, text=True)
    assert bad.returncode == 2 and "no-such-option" in bad.stderr
