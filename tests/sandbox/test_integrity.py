"""The runtime cache is verified by hash before use; damage is the sandbox's fault, never the candidate's."""

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from interview_sandbox import integrity, runtime


def _tree(root):
    (root / "lib" / "python3.11").mkdir(parents=True)
    (root / "lib" / "python3.11" / "json.py").write_text("def loads(): ...\n")
    (root / "python.wasm").write_bytes(b"\0asm")
    return integrity._digest(root / "python.wasm")


def test_manifest_is_made_once_then_damage_is_named(tmp_path):
    pinned = _tree(tmp_path)
    assert integrity.verify(tmp_path, wasm_sha256=pinned) == []
    assert (tmp_path / integrity.MANIFEST).exists()
    (tmp_path / "lib" / "python3.11" / "json.py").write_text("")  # truncated in place
    assert integrity.verify(tmp_path, wasm_sha256=pinned) == ["lib/python3.11/json.py"]
    (tmp_path / "lib" / "python3.11" / "json.py").unlink()
    assert integrity.verify(tmp_path, wasm_sha256=pinned) == ["lib/python3.11/json.py"]


def test_wasm_is_held_to_the_pinned_hash_and_new_files_are_recorded(tmp_path):
    _tree(tmp_path)
    assert integrity.verify(tmp_path, wasm_sha256="0" * 64) == ["python.wasm"]
    pinned = integrity._digest(tmp_path / "python.wasm")
    assert integrity.verify(tmp_path, wasm_sha256=pinned) == []
    (tmp_path / "later.cwasm").write_bytes(b"compiled")
    assert integrity.verify(tmp_path, wasm_sha256=pinned) == []
    recorded = json.loads((tmp_path / integrity.MANIFEST).read_text())["files"]
    assert "later.cwasm" in recorded


def test_a_snapshot_being_built_beside_the_install_is_never_recorded(tmp_path):
    # Another process builds a snapshot in a hidden work dir of the install while this one checks it:
    # once the build removes its work dir, the check must not see damage (it would lay the runtime again).
    pinned = _tree(tmp_path)
    work = tmp_path / ".snapshot-abc"
    work.mkdir()
    (work / "python-entry.wasm").write_bytes(b"half written")
    assert integrity.verify(tmp_path, wasm_sha256=pinned) == []
    assert not any(rel.startswith(".snapshot") for rel in integrity.runtime_files(tmp_path))
    shutil.rmtree(work)
    assert integrity.verify(tmp_path, wasm_sha256=pinned) == []


def test_a_copy_with_new_inodes_is_hashed_again_and_accepted(tmp_path):
    pinned = _tree(tmp_path / "a")
    assert integrity.verify(tmp_path / "a", wasm_sha256=pinned) == []
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    assert integrity.verify(tmp_path / "b", wasm_sha256=pinned) == []
    assert integrity.verify(tmp_path / "b", wasm_sha256=pinned, full=True) == []


@pytest.fixture
def runtime_copy(tmp_path):
    """A private copy of the installed runtime cache, to damage."""
    runtime.ensure()
    cache = tmp_path / "cache"
    shutil.copytree(runtime.runtime_dir(), cache / runtime.runtime_dir().name)
    return cache


_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from interview_sandbox import Sandbox, runtime
    from interview_engine.runner import CallCase
    runtime.SDIST_URL = "http://127.0.0.1:9/unreachable.tar.gz"  # no re-download in a test
    box = Sandbox(cache_size=0)
    run = box.run("import json\\nprint(json.dumps([1]))")
    [case] = box.call_cases("def f():\\n    return 1\\n", "f", [CallCase("a", [])])
    print(json.dumps({"run": run.status.value, "detail": run.detail, "stdout": run.stdout,
                      "case": case.status.value, "error": case.error}))
    """
)


def _fresh(cache) -> dict:
    env = {**os.environ, "INTERVIEW_SANDBOX_CACHE": str(cache)}
    done = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_damaged_stdlib_is_a_sandbox_fault_not_the_candidates(runtime_copy):
    assert _fresh(runtime_copy)["run"] == "ok"  # the copy works, and now has a manifest
    root = runtime_copy / runtime.runtime_dir().name
    (root / "lib" / "python3.11" / "json" / "__init__.py").write_bytes(b"")  # what issue 11 saw
    (root / "lib" / "python3.11" / "json" / "__pycache__" / "__init__.cpython-311.pyc").write_bytes(b"junk")
    facts = _fresh(runtime_copy)
    assert facts["run"] == "sandbox_error" and facts["case"] == "sandbox_error", facts
    assert "damaged" in facts["detail"] and "json/__init__.py" in facts["detail"]


def test_a_damaged_compiled_module_is_compiled_again(runtime_copy):
    assert _fresh(runtime_copy)["run"] == "ok"
    root = runtime_copy / runtime.runtime_dir().name
    compiled = root / runtime.snapshot_compiled_path().name
    data = bytearray(compiled.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte of native code
    compiled.write_bytes(bytes(data))
    facts = _fresh(runtime_copy)
    assert facts["run"] == "ok" and facts["stdout"] == "[1]\n", facts
    assert integrity.verify(root, wasm_sha256=runtime.WASM_SHA256) == []


def test_a_damaged_interpreter_snapshot_is_made_again(runtime_copy):
    assert _fresh(runtime_copy)["run"] == "ok"
    root = runtime_copy / runtime.runtime_dir().name
    for made in (runtime.snapshot_path(), runtime.compiled_path()):
        data = bytearray((root / made.name).read_bytes())
        data[len(data) // 3] ^= 0xFF
        (root / made.name).write_bytes(bytes(data))
    facts = _fresh(runtime_copy)
    assert facts["run"] == "ok" and facts["stdout"] == "[1]\n", facts
    assert integrity.verify(root, wasm_sha256=runtime.WASM_SHA256) == []
