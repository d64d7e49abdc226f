"""Inodes are numbered per run, so what a run costs never depends on the host's inodes (issue 17).

Wasmtime reports an inode as a 64-bit hash of the host's device and inode; a file made for the
run (``/work``, ``main.py``, anything the program writes) had a new one every run, and CPython's
``os.stat`` costs more fuel for a larger one.  The host now numbers inodes 1, 2, 3, ... in the order
the run first sees them, in ``os.stat``, ``os.fstat`` and directory listings alike.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from interview_engine.runner import Limits, RunStatus
from interview_sandbox import Sandbox

FAST = Limits(wall_ms=5000, fuel=2_000_000_000)

_STATS = """\
import os
for name in {names!r}:
    with open(name, 'w') as out:
        out.write(name)
stats = {{name: os.stat(name).st_ino for name in {names!r}}}
listed = {{entry.name: entry.inode() for entry in os.scandir('.')}}
with open({first!r}) as handle:
    fstat = os.fstat(handle.fileno()).st_ino
print(sorted(stats.values()) == sorted(set(stats.values())), all(listed[n] == stats[n] for n in stats),
      fstat == stats[{first!r}], os.path.samefile({first!r}, './' + {first!r}), os.stat('/work').st_ino,
      os.stat('/usr/local/lib/python3.11/os.py').st_ino == os.stat('/usr/local/lib/python3.11/os.py').st_ino)
"""

NAMES = st.lists(st.from_regex(r"[a-z]{1,12}\.txt", fullmatch=True), min_size=1, max_size=6, unique=True)


@settings(max_examples=8, deadline=None)
@given(names=NAMES)
def test_inodes_are_distinct_consistent_and_cost_the_same_every_run(sandbox: Sandbox, names: list[str]) -> None:
    source = _STATS.format(names=names, first=names[0])
    runs = [sandbox.run(source, limits=FAST) for _ in range(3)]
    assert all(run.status is RunStatus.OK for run in runs), runs[0].stderr
    first = runs[0]
    # distinct files have distinct numbers; a listing, fstat and samefile agree with stat
    assert first.stdout.split()[:4] == ["True"] * 4 and first.stdout.split()[-1] == "True", first.stdout
    assert {run.stdout for run in runs} == {first.stdout}  # the numbers themselves are the same every run
    assert {run.fuel_used for run in runs} == {first.fuel_used}


def test_stat_of_a_fresh_file_and_an_import_cost_exactly_the_same_fuel_every_run(sandbox: Sandbox) -> None:
    # Before the numbering, 1 run in 16 cost 38 fuel less per stat of a fresh file (its inode hash
    # below 2**60): a stdlib import stats /work three times.
    for source in ("import os\nos.stat('/work/main.py')\nos.stat('/work')", "import textwrap, fractions"):
        fuels = {sandbox.run(source, limits=FAST).fuel_used for _ in range(40)}
        assert len(fuels) == 1, sorted(fuels)
