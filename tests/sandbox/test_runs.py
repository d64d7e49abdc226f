"""run(): statuses, limits, determinism (Hypothesis), cache, pool, limit tightening."""

import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from interview_engine.runner import Limits, RunStatus
from interview_sandbox import Sandbox

FAST = Limits(wall_ms=2000, fuel=2_000_000_000)


def test_hello_world(sandbox: Sandbox):
    result = sandbox.run("import sys\nprint(input() * 2)\nprint(sys.version_info[:2])", stdin="ab\n")
    assert result.status is RunStatus.OK and result.exit_code == 0
    assert result.stdout == "abab\n(3, 11)\n"
    assert result.fuel_used > 0 and result.peak_memory_bytes > 0 and result.wall_ms > 0


def test_files_are_in_the_working_dir(sandbox: Sandbox):
    result = sandbox.run(
        "import helper\nprint(open('data/x.txt').read(), helper.VALUE)",
        files={"data/x.txt": "hi", "helper.py": "VALUE = 7"},
    )
    assert result.stdout == "hi 7\n"


def test_exceptions_and_exit_codes(sandbox: Sandbox):
    error = sandbox.run("raise ValueError('boom')", limits=FAST)
    assert error.status is RunStatus.RUNTIME_ERROR and "ValueError: boom" in error.stderr
    assert sandbox.run("raise SystemExit(4)", limits=FAST).exit_code == 4
    assert sandbox.run("raise SystemExit(0)", limits=FAST).status is RunStatus.OK


def test_source_cap(sandbox: Sandbox):
    result = sandbox.run("x = 1\n" * 100, limits=Limits(source_bytes=50))
    assert result.status is RunStatus.RUNTIME_ERROR and "source too large" in result.detail


def test_requested_limits_only_tighten():
    sandbox = Sandbox(Limits(fuel=1_000_000_000, wall_ms=1000), cache_size=0)
    result = sandbox.run("while True:\n    pass", limits=Limits(fuel=10**15, wall_ms=10**7))
    assert result.status in (RunStatus.FUEL_LIMIT, RunStatus.TIME_LIMIT)
    assert result.wall_ms < 3000
    assert Limits(fuel=5).tightened(Limits(fuel=10)).fuel == 5


def test_fuel_limit_is_exact(sandbox: Sandbox):
    result = sandbox.run("x = 0\nwhile True:\n    x += 1", limits=Limits(fuel=300_000_000))
    assert result.status is RunStatus.FUEL_LIMIT
    assert result.fuel_used == 300_000_000


PROGRAMS = st.sampled_from(
    [
        "print(sum(i * i for i in range({n})))",
        "d = {{str(i): i for i in range({n})}}\nprint(len(d), hash('abc'))",
        "import random\nprint(random.random(), {n})",
        "print('x' * {n})",
        "a = [bytes(1000) for _ in range({n})]",
    ]
)


@settings(max_examples=12, deadline=None)
@given(template=PROGRAMS, n=st.integers(min_value=0, max_value=20_000))
def test_same_program_same_fuel_and_limits_hold(template, n):
    sandbox = Sandbox(cache_size=0)
    limits = Limits(fuel=400_000_000, stdout_bytes=5000, memory_bytes=32 * 1024 * 1024, wall_ms=5000)
    source = template.format(n=n)
    first, second = sandbox.run(source, limits=limits), sandbox.run(source, limits=limits)
    assert first.status is second.status
    if first.status is not RunStatus.OUTPUT_LIMIT:
        # A run cut off at the output cap stops when the host's reader sees the cap, which is not an
        # instruction boundary; every run that ends by itself uses exactly the same fuel, imports too
        # (the host numbers inodes per run: a fresh file's inode no longer changes what os.stat costs).
        assert first.fuel_used == second.fuel_used
        assert first.stdout == second.stdout
    for result in (first, second):
        assert result.fuel_used <= limits.fuel
        assert len(result.stdout.encode()) <= limits.stdout_bytes
        assert result.peak_memory_bytes <= limits.memory_bytes


def test_result_cache_runs_an_identical_submission_once():
    sandbox = Sandbox(cache_size=8)
    first = sandbox.run("print(1)")
    second = sandbox.run("print(1)")
    assert first is second
    assert sandbox.run("print(1)", limits=Limits(wall_ms=999)) is not first  # limits are in the key
    assert sandbox._cache.hits == 1


def test_cache_is_bounded():
    sandbox = Sandbox(cache_size=2)
    for i in range(4):
        sandbox.run(f"print({i})")
    assert len(sandbox._cache) == 2


def test_pool_runs_many_in_order_and_threads_share_one_sandbox(sandbox: Sandbox):
    sources = [f"print({i} * 2)" for i in range(6)]
    results = sandbox.run_many(sources, limits=FAST)
    assert [r.stdout for r in results] == [f"{i * 2}\n" for i in range(6)]
    outputs: list[str] = []
    threads = [threading.Thread(target=lambda i=i: outputs.append(sandbox.run(f"print({i})").stdout)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outputs) == [f"{i}\n" for i in range(4)]


def test_plugin_gives_one_shared_sandbox():
    from interview_sandbox import plugin

    assert plugin.code_runner() is plugin.code_runner()
    [group] = plugin.cli_commands()
    assert group.name == "sandbox" and set(group.commands) == {"run", "doctor", "fetch"}
