# mypy: ignore-errors
# ruff: noqa: S102, S110, UP031, SIM105
# Guest side of the case harness.  Runs INSIDE the sandbox, after the source of
# interview_engine.wire (which defines ``encode``), started by harness.LAUNCHER with its
# orders (from the host, marshal on stdin, popped from its globals at once); it reports to the host
# with os.pwrite(kind << 24 | index, nonce + b" " + json, 0), a host function that copies the report
# out of guest memory at that instant with the host's own fuel reading; the host decides what a
# report may mean (see harness.py).
# Nothing here is trusted by the host: candidate code shares this interpreter.
# It imports nothing that is not built in or frozen: json and traceback would cost
# ~100 M fuel (re, enum, tokenize...) in every instance, more than the interpreter's
# own start, so reports are written by _dump and tracebacks by _describe below.
import builtins as _builtins
import gc as _gc
import io as _io
import os as _os
import sys as _sys

_KINDS = {"load": 1, "begin": 2, "result": 3, "done": 4}
_ESCAPES = {i: "\\u%04x" % i for i in range(32)}
_ESCAPES.update({ord('"'): '\\"', ord("\\"): "\\\\"})


def _dump(value, out):
    """Append ``value`` (what wire.encode makes, or a report) as ASCII JSON to ``out``."""
    kind = type(value)
    if value is None or value is True or value is False:
        out.append("null" if value is None else "true" if value else "false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float:
        text = float.__repr__(value)
        out.append(text if text not in ("inf", "-inf", "nan") else "null")
    elif kind is str:
        if value.isascii():
            out.append('"' + value.translate(_ESCAPES) + '"')
        else:
            chars = []
            for char in value:
                code = ord(char)
                if code < 128:
                    chars.append(_ESCAPES.get(code, char))
                elif code < 0x10000:
                    chars.append("\\u%04x" % code)
                else:
                    code -= 0x10000
                    chars.append("\\u%04x\\u%04x" % (0xD800 | code >> 10, 0xDC00 | code & 0x3FF))
            out.append('"' + "".join(chars) + '"')
    elif kind is list:
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _dump(item, out)
        out.append("]")
    elif kind is dict:
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            if i:
                out.append(",")
            _dump(str(key), out)
            out.append(":")
            _dump(item, out)
        out.append("}")
    else:
        _dump(repr(value), out)


def _source_line(path, lineno, cache):
    if path not in cache:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                cache[path] = handle.read().splitlines()
        except Exception:
            cache[path] = []
    lines = cache[path]
    return lines[lineno - 1].strip() if lineno and 0 < lineno <= len(lines) else ""


def _exception_only(exc):
    """The last lines of a traceback, as traceback.format_exception_only writes them."""
    kind = type(exc)
    name = kind.__qualname__
    module = kind.__module__
    if module not in ("__main__", "builtins"):
        name = "%s.%s" % (module if isinstance(module, str) else "<unknown>", name)
    lines = []
    if isinstance(exc, SyntaxError):
        if exc.lineno is not None:
            lines.append('File "%s", line %s' % (exc.filename or "<string>", exc.lineno))
        if exc.text is not None:
            text = exc.text.rstrip("\n")
            stripped = text.lstrip(" \n\f")
            lines.append("    " + stripped)
            if exc.offset is not None:
                start = exc.offset - 1 - (len(text) - len(stripped))
                end = exc.end_offset if exc.end_offset not in (None, 0) else exc.offset
                width = max(1, end - exc.offset) if end != -1 else 1
                if start >= 0:
                    pad = "".join(c if c.isspace() else " " for c in stripped[:start])
                    lines.append("    " + pad + "^" * width)
        lines.append("%s: %s" % (name, exc.msg or "<no detail available>"))
    else:
        try:
            text = str(exc)
        except BaseException:
            text = "<exception str() failed>"
        lines.append("%s: %s" % (name, text) if text else name)
    notes = getattr(exc, "__notes__", None)
    if isinstance(notes, (list, tuple)):
        for note in notes:
            try:
                lines.append(str(note))
            except BaseException:
                lines.append("<note str() failed>")
    return lines


def _describe(exc):
    """The candidate's frames (files under /work), their lines, then the exception."""
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.startswith("/work/"):
            frames.append((code.co_filename, tb.tb_lineno, code.co_name))
        tb = tb.tb_next
    lines, cache = [], {}
    for path, lineno, name in frames[-6:]:
        lines.append("%s:%s: in %s" % (path[len("/work/") :], lineno, name))
        line = _source_line(path, lineno, cache)
        if line:
            lines.append("    " + line)
    return {"type": type(exc).__name__, "error": "\n".join(lines + _exception_only(exc))}


def _harness_main(orders):
    _sys.stdin = _io.StringIO("")
    _os.chdir("/work")
    _sys.path.insert(0, "/work")
    nonce = orders.pop("nonce").encode() + b" "
    limit = orders.pop("limit")
    channel = _os.pwrite  # taken before candidate code runs: replacing os.pwrite changes nothing here

    def send(kind, index, body=None):
        for stream in (_sys.stdout, _sys.stderr):
            try:
                stream.flush()
            except Exception:  # the candidate may have replaced the stream
                pass
        out = []
        try:
            _dump(body, out)
            data = "".join(out)
        except Exception:  # e.g. an int past the digit limit
            data = ""
        if not data or len(data) > limit:
            data = '{"status": "too_large"}'
        channel(_KINDS[kind] << 24 | max(index, 0), nonce + data.encode("ascii"), 0)

    describe = _describe

    def finish():
        send("done", -1)
        _os._exit(0)

    mode = orders["mode"]
    start = orders["start"]
    if mode == "tests":
        if orders.get("site"):  # the pinned pytest, read-only (interview_sandbox.guest_site)
            _sys.path.append(orders["site"])
        modules = {}
        for index, (path, name) in enumerate(orders["tests"]):
            if index < start:
                continue
            send("begin", index)
            if path not in modules:
                module_name = path[: -len(".py")].replace("/", ".")
                try:
                    __import__(module_name)
                    modules[path] = ("ok", _sys.modules[module_name])
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

        # Case 0 calls a function that does nothing: the host subtracts its fuel (the
        # harness's own cost around a call) from case 1, the candidate's call.
        def baseline(*_args):
            return None

        for index, target in enumerate((baseline, func)):
            if index < start:
                continue
            # make_input's objects would otherwise pay for a collection inside the call.
            _gc.collect()
            send("begin", index)
            try:
                target(*args)
            except BaseException as exc:
                send("result", index, {"status": "raised", **describe(exc)})
            else:
                send("result", index, {"status": "returned"})
        _os._exit(0)
    for index, args in enumerate(orders["cases"]):
        if index < start:
            continue
        # As in growth mode: the inputs' objects would otherwise pay for a collection inside the
        # call, and the fuel of a call is how its growth is measured.
        _gc.collect()
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


_harness_main(globals().pop("_orders"))
