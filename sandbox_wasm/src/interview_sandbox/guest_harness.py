# mypy: ignore-errors
# ruff: noqa: S102, S110, UP031, SIM105
# Guest side of the case harness.  Runs INSIDE the sandbox, after the source of
# interview_engine.wire (which defines ``encode``).  It reads its orders from stdin,
# then signals the host with os.fsync(kind << 24 | index) after writing its report
# file; the host reads the file at that instant with its own fuel reading and
# decides what a report may mean (see harness.py).
# Nothing here is trusted by the host: candidate code shares this interpreter.
import builtins as _builtins
import importlib as _importlib
import io as _io
import json as _json
import os as _os
import sys as _sys
import traceback as _traceback

_KINDS = {"load": 1, "begin": 2, "result": 3, "done": 4}


def _harness_main():
    orders = _json.loads(_sys.stdin.read())
    _sys.stdin = _io.StringIO("")
    _os.chdir("/work")
    _sys.path.insert(0, "/work")
    nonce = orders["nonce"].encode()
    limit = 4 * 1024 * 1024

    def send(kind, index, body=None):
        for stream in (_sys.stdout, _sys.stderr):
            try:
                stream.flush()
            except Exception:  # the candidate may have replaced the stream
                pass
        data = _json.dumps(body)
        if len(data) > limit:
            data = _json.dumps({"status": "too_large"})
        with open("/work/.harness-report", "wb") as report:
            report.write(nonce + b" " + data.encode())
        _os.fsync(_KINDS[kind] << 24 | max(index, 0))

    def describe(exc):
        frames = [f for f in _traceback.extract_tb(exc.__traceback__) if f.filename.startswith("/work/")]
        lines = []
        for frame in frames[-6:]:
            lines.append("%s:%s: in %s" % (frame.filename[len("/work/") :], frame.lineno, frame.name))
            if frame.line:
                lines.append("    " + frame.line)
        head = "".join(_traceback.format_exception_only(type(exc), exc)).strip()
        return {"type": type(exc).__name__, "error": "\n".join([*lines, head])}

    def finish():
        send("done", -1)
        _os._exit(0)

    mode = orders["mode"]
    start = orders["start"]
    if mode == "tests":
        modules = {}
        for index, (path, name) in enumerate(orders["tests"]):
            if index < start:
                continue
            send("begin", index)
            if path not in modules:
                module_name = path[: -len(".py")].replace("/", ".")
                try:
                    modules[path] = ("ok", _importlib.import_module(module_name))
                except BaseException as exc:
                    modules[path] = ("error", describe(exc))
            state, value = modules[path]
            if state == "error":
                send("result", index, {"status": "not_run", **value})
                continue
            func = getattr(value, name, None)
            if not callable(func):
                send("result", index, {"status": "not_run", "type": "", "error": "no test named " + name})
                continue
            try:
                func()
            except BaseException as exc:
                send("result", index, {"status": "raised", **describe(exc)})
            else:
                send("result", index, {"status": "returned"})
        finish()

    namespace = {"__name__": "solution", "__builtins__": _builtins, "__file__": "/work/solution.py"}
    try:
        with open("/work/solution.py", encoding="utf-8") as handle:
            code = compile(handle.read(), "/work/solution.py", "exec")
        exec(code, namespace)
        func = namespace[orders["entry"]]
        if not callable(func):
            raise TypeError("%s is not callable" % orders["entry"])
    except BaseException as exc:
        send("load", -1, describe(exc))
        _os._exit(0)
    if mode == "growth":
        generator = {"__name__": "generator", "__builtins__": _builtins}
        exec(compile(orders["generator"], "/work/generator.py", "exec"), generator)
        args = generator["make_input"](orders["n"])
        args = tuple(args) if isinstance(args, (list, tuple)) else (args,)
        send("begin", 0)
        try:
            func(*args)
        except BaseException as exc:
            send("result", 0, {"status": "raised", **describe(exc)})
        else:
            send("result", 0, {"status": "returned"})
        _os._exit(0)
    for index, args in enumerate(orders["cases"]):
        if index < start:
            continue
        send("begin", index)
        try:
            value = func(*args)
        except BaseException as exc:
            send("result", index, {"status": "raised", **describe(exc)})
            continue
        try:
            encoded = encode(value)  # noqa: F821 - defined by the wire source shipped before this
        except BaseException as exc:
            send("result", index, {"status": "raised", **describe(exc)})
            continue
        send("result", index, {"status": "returned", "value": encoded})
    finish()


_harness_main()
