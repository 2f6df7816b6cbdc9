"""Fixtures of the oracle suite: Debian's kernel parts (skip when absent, fail on CI), the kernel's test modules, the model."""
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

from klplint.oracle import harness, ksource, parts
from klplint.oracle.initscript import InitOptions
from klplint.oracle.parts import OracleError

DATA = Path(__file__).resolve().parent / "data"

# Short waits for the tests that hang on purpose: khungtaskd reports within 2 x 5 s, the
# step that hangs is given up after 15 s.
SHORT = InitOptions(step_timeout=15, wait_timeout=10, hung_task_secs=5)


def _unavailable(message: str):
    if os.environ.get("CI"):     # CI installs the packages (oracle/ci-deps.sh): a skip would hide a gap
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def machine():
    """Debian's 6.1 kernel image, its kbuild tree and the tools (qemu, busybox, kmod, make)."""
    try:
        return harness.find_machine(series=parts.DEFAULT_SERIES)
    except OracleError as e:
        _unavailable(str(e))


@pytest.fixture(scope="session")
def callback_test_modules(machine):
    """test_klp_callbacks_*.c from linux-source-6.1, extracted into the cache."""
    return _callback_modules(machine)


def _callback_modules(machine):
    try:
        return {n: ksource.test_module_source(n, series=machine.series) for n in ksource.CALLBACK_TEST_MODULES}
    except OracleError as e:
        _unavailable(str(e))


def _callbacks_script(machine):
    try:
        return Path(ksource.selftest_script("test-callbacks.sh", series=machine.series)).read_text()
    except OracleError as e:
        _unavailable(str(e))


@dataclass(frozen=True)
class KernelUnderTest:
    """One kernel series the conformance tests run in: its machine, test modules and script."""
    series: str
    machine: harness.Machine
    modules: dict            # test module name -> its source in linux-source-<series>
    script: str              # that tree's test-callbacks.sh


@pytest.fixture(scope="session", params=parts.SERIES, ids=lambda s: f"linux-{s}")
def kernel_under_test(request):
    """Each kernel series the oracle knows, when its image, headers and source are installed
    (a series whose packages are absent is skipped, naming the package; on CI it fails)."""
    series = request.param
    try:
        machine = harness.find_machine(series=series)
    except OracleError as e:
        _unavailable(f"linux {series}: {e}")
    return KernelUnderTest(series, machine, _callback_modules(machine), _callbacks_script(machine))


@pytest.fixture
def model():
    # klplint's prediction (the trace) is part of the product: a missing one is an error, not a skip
    from klplint.oracle.predict import predict
    return predict


def _boot_observed(run_once):
    """run_once() again, once, when its guest went away in the middle without a step timing out
    (harness.went_away: a reboot or a qemu exit on a loaded host); the first run's problems are
    kept as a warning. A second such run is returned as it is: its problems fail the test."""
    result = run_once()
    if result.went_away:
        warnings.warn("oracle: the VM went away mid-run and was booted again: " + "; ".join(result.problems))
        result = run_once()
    return result


@pytest.fixture(scope="session")
def boot_observed():
    return _boot_observed
