"""A second OS user for the tests that need one (files owned by someone else, a squatter on
a socket): created with ``useradd`` when the tests run as root, else those tests skip."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess

import pytest

NAME = "br-other"
# The squatter and the other user's clients run the system Python: the test's own may live
# in a folder only root can enter (/root/.pyenv).
PYTHON = shutil.which("python3", path="/usr/bin:/bin") or ""


def other_user() -> pwd.struct_passwd:
    """The other user (created when missing); skips the test when that cannot be done."""
    if os.geteuid() != 0:
        pytest.skip("needs root to create and become a second OS user")
    try:
        return pwd.getpwnam(NAME)
    except KeyError:
        pass
    useradd = shutil.which("useradd")
    if useradd is None:
        pytest.skip("useradd is not installed")
    subprocess.run([useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                    NAME], check=False, capture_output=True)
    try:
        return pwd.getpwnam(NAME)  # made here, or by another test run at the same moment
    except KeyError:
        pytest.skip("useradd could not create a second user")
    raise AssertionError("unreachable")


def run_as(user: pwd.struct_passwd, code: str, *args: str) -> subprocess.Popen[bytes]:
    """Start ``code`` with the system Python as ``user`` (stdout piped)."""
    if not PYTHON:
        pytest.skip("no system python3 for the other user")
    return subprocess.Popen([PYTHON, "-c", code, *args], user=user.pw_uid, group=user.pw_gid,
                            extra_groups=[], cwd="/", stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
