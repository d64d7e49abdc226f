# mypy: ignore-errors
# ruff: noqa: S102, S110, UP031, SIM105
# Guest side of the case harness.  Runs INSIDE the sandbox, after the source of
# interview_engine.wire (which defines ``encode``), started by harness.LAUNCHER with its
# orders (from the host, marshal on stdin, popped from its globals at once: the mode, the entry,
# the nonce; never a case's input).  Each case's input is asked for at its begin with
# os.pread(2 << 24 | index, ...), a host function that takes the host's fuel reading and hands the
# input out only then, and only once the previous case reported; results go to the host with
# os.pwrite(kind << 24 | index, nonce + b" " + json, 0), a host function that copies the report
# out of guest memory at that instant with the host's own fuel reading; the host decides what a
# report may mean (see harness.py).
# Nothing here is trusted by the host: candidate code shares this interpreter, and can read
# everything this harness holds (frames, closures, gc); so it holds nothing worth reading.
# It imports nothing that is not built in or frozen: json and traceback would cost
# ~100 M fuel (re, enum, tokenize...) in every instance, more than the interpreter's
# own start, so reports are written by _dump and tracebacks by _describe below.
import builtins as _builtins
import gc as _gc
import io as _io
import itertools as _itertools
import marshal as _marshal
import os as _os
import sys as _sys

try:
    from _json import encode_basestring_ascii as _json_ascii
    from _json import make_encoder as _make_encoder
except ImportError:  # an interpreter without the C accelerator: every value takes the general path
    _make_encoder = None

_KINDS = {"load": 1, "begin": 2, "result": 3, "call": 4, "warm": 5}
_REGROW = 1 << 14  # frozen objects more than at the last scan of them, after which a begin scans them again
_WARM_CALLS = 12  # CPython 3.11 specialises a function's bytecode after 8 calls
_CHUNK = 1 << 20  # bytes of input per host call
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


# What the C encoder writes exactly as encode() then _dump() would (the same JSON value: its
# escapes may be spelled differently): a list or tuple of these, or of lists and tuples of these.
_PLAIN = frozenset({str, int, bool, float, type(None)})
_SEQUENCES = frozenset({list, tuple})


def _plain_writer():
    """``value -> JSON text`` for a plain value (see _PLAIN), else None; C-speed, for the common answers.

    encode() and _dump() call a Python function per item (~57 000 fuel a list of three strings);
    checking the item types with map/set and writing with the C encoder costs a few hundred.
    Exact types only: a subclass (a str with its own __eq__, an int with its own __repr__) and
    anything deeper take the general path, as do nan and infinity (the encoder refuses them).
    """
    if _make_encoder is None:
        return lambda value: None
    kinds, flat, plain, sequences, join = type, _itertools.chain.from_iterable, _PLAIN, _SEQUENCES, "".join
    as_set, each = set, map

    def refuse(value):
        raise TypeError

    write = _make_encoder(None, refuse, _json_ascii, None, ":", ",", False, False, False)

    def plain_json(value):
        if kinds(value) not in sequences:
            return None
        found = as_set(each(kinds, value))
        if not found <= plain and (not found <= sequences or not as_set(each(kinds, flat(value))) <= plain):
            return None
        try:
            return join(write(value, 0))
        except Exception:  # nan or infinity, an int past the digit limit: the general path decides
            return None

    return plain_json


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
    # Taken before candidate code runs: replacing os.pwrite or marshal.loads changes nothing here.
    channel, ask, loads, collect, freeze, unfreeze, frozen = (
        _os.pwrite,
        _os.pread,
        _marshal.loads,
        _gc.collect,
        _gc.freeze,
        _gc.unfreeze,
        _gc.get_freeze_count,
    )
    scanned = [None]  # objects frozen right after the last whole-heap collection

    def flush():
        for stream in (_sys.stdout, _sys.stderr):
            try:
                stream.flush()
            except Exception:  # the candidate may have replaced the stream
                pass

    plain_json = _plain_writer()

    def send(kind, index, body=None, text=None):
        """Report ``body``, or ``text`` when the caller already wrote it as JSON."""
        flush()
        out = []
        try:
            if text is None:
                _dump(body, out)
                data = "".join(out)
            else:
                data = text
        except Exception:  # e.g. an int past the digit limit
            data = ""
        if not data or len(data) > limit:
            data = '{"status": "too_large"}'
        channel(_KINDS[kind] << 24 | max(index, 0), nonce + data.encode("ascii"), 0)

    def called(index, kind="call"):
        """Tell the host the input is decoded and the call starts (what came before is the harness's)."""
        channel(_KINDS[kind] << 24 | index, nonce, 0)

    def fetch(fd):
        pieces = [ask(fd, _CHUNK, 0)]
        if not pieces[0]:
            return None
        got = len(pieces[0])
        while len(pieces[-1]) == _CHUNK:
            pieces.append(ask(fd, _CHUNK, got))
            got += len(pieces[-1])
        value = loads(b"".join(pieces))
        # Every object so far (the input included) out of the collector's sight, in O(1): a
        # collection during the call then costs what the call made, not the size of its input.
        freeze()
        return value

    def begin(index):
        """Case ``index``'s input, handed out by the host now (its begin); None when no case is left."""
        # Finalizers of earlier objects run here, while no input is in memory.  The first case, and a
        # case after the frozen objects grew by _REGROW, collects the whole heap (unfrozen: ~5.5 M
        # fuel for the snapshot's heap alone); the cases between collect only what was made since the
        # last freeze, which bounds what cycles through a frozen object keep alive.  Either way the
        # collector is left alike (everything frozen, no generation counts), so a case's own
        # collections cost the same whichever way its begin went.
        whole = scanned[0] is None or frozen() > scanned[0] + _REGROW
        if whole:
            unfreeze()
        collect()
        freeze()
        collect()
        if whole:
            scanned[0] = frozen()
        flush()
        try:
            return fetch(_KINDS["begin"] << 24 | index)
        except OSError:  # refused: the code under test took this case's turn; the host knows
            _os._exit(0)

    # Run the harness's own steps inside a case's window until the interpreter has specialised
    # them, so a case's fuel does not depend on its place in the instance (the host measures
    # the harness's cost in another instance and subtracts it).  The host ignores "warm".
    for _ in range(_WARM_CALLS):
        fetch(_KINDS["warm"] << 24)
        called(0, "warm")
        send("warm", 0, {"status": "returned", "value": encode([0, "a", 1.5, None, [{"k": 1}]])})  # noqa: F821
        send("warm", 0, text='{"status":"returned","value":' + plain_json([[0, "a"], (1.5, None)]) + "}")

    describe = _describe
    mode = orders["mode"]
    index = orders["start"]
    if mode == "tests":
        if orders.get("site"):  # the pinned pytest, read-only (interview_sandbox.guest_site)
            _sys.path.append(orders["site"])
        modules = {}
        while True:
            test = begin(index)
            if test is None:
                _os._exit(0)
            path, name = test
            called(index)
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
            elif not callable(getattr(value, name, None)):
                send("result", index, {"status": "not_run", "type": "", "error": "no test named " + name})
            else:
                try:
                    getattr(value, name)()
                except BaseException as exc:
                    send("result", index, {"status": "raised", **describe(exc)})
                else:
                    send("result", index, {"status": "returned"})
            index += 1

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
    while True:
        value = encoded = args = None  # nothing of the last call is left for a finalizer to run with
        args = begin(index)
        if args is None:
            _os._exit(0)
        called(index)
        try:
            value = func(*args)
        except BaseException as exc:
            send("result", index, {"status": "raised", **describe(exc)})
            index += 1
            continue
        try:
            encoded = plain_json(value)
            if encoded is not None:
                send("result", index, text='{"status":"returned","value":' + encoded + "}")
                index += 1
                continue
            encoded = encode(value)  # noqa: F821 - defined by the wire source shipped before this
        except BaseException as exc:
            send("result", index, {"status": "raised", **describe(exc)})
            index += 1
            continue
        send("result", index, {"status": "returned", "value": encoded})
        index += 1


_harness_main(globals().pop("_orders"))
