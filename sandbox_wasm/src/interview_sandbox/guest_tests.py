# mypy: ignore-errors
# ruff: noqa: S110, S112, UP031, SIM105, F821
# Guest side of sealed test runs (mode "tests"), shipped before guest_harness.py only in that mode
# (whose own test loop harness.guest_program replaces with a call to _run_tests),
# so that the case harness of every other mode stays byte for byte what it was (its fuel is what
# growth measurements subtract).  It uses guest_harness's imports and helpers (_sys, _io, _os,
# _builtins, _source_line, _exception_only), defined by the time _run_tests is called.

_TRACEBACK = BaseException.__dict__["__traceback__"].__get__  # never a subclass's property
_STARTSWITH = str.startswith  # never a str subclass's method


def _frames(exc):
    """(file, line, function) of each traceback frame in a file under /work; only C objects are touched."""
    frames = []
    tb = _TRACEBACK(exc)
    while tb is not None:
        code = tb.tb_frame.f_code
        if _STARTSWITH(code.co_filename, "/work/"):
            frames.append((code.co_filename, tb.tb_lineno, code.co_name))
        tb = tb.tb_next
    return frames


def _describe_sealed(exc, frames, cache):
    """What ``_describe`` says, from frames taken under the permit and lines read before candidate code.

    Its loop repeats ``_describe``'s on purpose: factoring it out changes the call-mode harness's
    bytes, and with them the fuel of small growth curves (bisect's fit fell under 0.5 confidence).
    """
    lines = []
    for path, lineno, name in frames[-6:]:
        lines.append("%s:%s: in %s" % (path[len("/work/") :], lineno, name))
        line = _source_line(path, lineno, cache)
        if line:
            lines.append("    " + line)
    return {"type": type(exc).__name__, "error": "\n".join(lines + _exception_only(exc))}


# Sealed test runs (mode "tests"): what candidate code may not reach once the seal is on.  Frames
# lead to the harness's locals (the nonce, its channel); the code objects of the program's
# functions are the program's text in another form; gc and tracing reach both.
_SEALED = "sealed: the harness keeps frames, the program's code and the collector from the code under test"
_FRAME_ATTRS = frozenset(("f_code", "tb_frame", "gi_frame", "cr_frame", "ag_frame"))
_CODE_ATTRS = frozenset(("__code__", "gi_code", "cr_code", "ag_code"))
_REFUSED = frozenset(
    (
        "sys._current_frames",
        "sys.settrace",
        "sys.setprofile",
        "gc.get_objects",
        "gc.get_referrers",
        "gc.get_referents",
        "sys.addaudithook",
    )
)


def _seal(permit):
    """Install the audit hook of a sealed run (it cannot be removed); ``permit[0]`` lets the harness through.

    ``sys._getframe`` raises ValueError (what logging, typing and namedtuple expect when no frame
    is there), a frame or a /work function's code AttributeError, the rest RuntimeError (a new
    audit hook is then silently not added).
    """
    get = object.__getattribute__
    starts = _STARTSWITH
    frame_attrs, code_attrs, refused, sealed = _FRAME_ATTRS, _CODE_ATTRS, _REFUSED, _SEALED

    def hook(event, args):
        if permit[0]:
            return
        if event == "object.__getattr__":
            name = args[1]
            if name in frame_attrs:
                raise AttributeError(sealed)
            if name in code_attrs:
                permit[0] = True
                try:
                    code = get(args[0], name)
                finally:
                    permit[0] = False
                if starts(code.co_filename, "/work/"):
                    raise AttributeError(sealed)
        elif event == "sys._getframe":
            raise ValueError(sealed)
        elif event in refused:
            raise RuntimeError(sealed)

    _sys.addaudithook(hook)


def _run_tests(orders, index, begin, called, send):
    """Mode "tests", sealed: the program imported and its files removed, then each test function.

    Everything the loop uses is taken before candidate code runs.  Candidate code cannot read
    the program's text (its files are gone, its functions' code is sealed) nor reach this
    harness (frames, gc and tracing are sealed, so the nonce stays secret); each test module is
    compiled from the text read before the program ran, runs with builtins of its own, is not
    in ``sys.modules``, and its functions are taken when it has run.
    """
    permit = [False]
    # The harness's own lookups of builtins (len, type, isinstance...) find them in its globals from
    # now on: code under test that replaces ``builtins.type`` changes nothing the harness does.
    harness_globals = globals()
    for name, value in _builtins.__dict__.items():
        if not name.startswith("__"):
            harness_globals.setdefault(name, value)
    read, compile_, exec_, remove = _io.open, compile, exec, _os.remove
    module_type, import_, callable_, dict_ = type(_sys), __import__, callable, dict
    clean = dict(_builtins.__dict__)
    sources, cache = {}, {}
    for path in orders["tests"]:
        try:
            with read("/work/" + path, encoding="utf-8") as handle:
                sources[path] = handle.read()
        except Exception:
            pass
    for path in orders["program"]:  # tracebacks still quote the program's lines
        _source_line("/work/" + path, 1, cache)
    for path, text in sources.items():  # and the tests' lines as they were read
        cache["/work/" + path] = text.splitlines()
    # Objects the tests never see, a random number per run: addresses, allocated blocks and the
    # collector's counts then say nothing about which program was imported.
    ballast = [(i,) * (i % 24 + 2) for i in range(orders.get("ballast", 0))]  # noqa: F841 - alive to the end
    _sys.dont_write_bytecode = True
    # A name's reference count says whether the program's code uses it (co_names, co_varnames);
    # the allocator's statistics say how large the program's code is.
    for name in ("getrefcount", "_debugmallocstats"):
        _sys.__dict__.pop(name, None)
    _seal(permit)

    def describe(exc):
        permit[0] = True
        try:
            frames = _frames(exc)
        finally:
            permit[0] = False
        return _describe_sealed(exc, frames, cache)

    if orders.get("site"):  # the pinned pytest, read-only (interview_sandbox.guest_site)
        _sys.path.append(orders["site"])
    for path in orders["program"]:
        name = path[: -len(".py")].replace("/", ".")
        if name.endswith(".__init__"):
            name = name[: -len(".__init__")]
        try:
            import_(name)
        except BaseException:
            continue  # left on disk: the test's own import meets the same error
        try:
            remove("/work/" + path)
        except OSError:
            pass
    linecache = _sys.modules.get("linecache")
    if linecache is not None:
        linecache.cache.clear()
    modules = {}
    while True:
        test = begin(index)
        if test is None:
            _os._exit(0)
        path, name = test
        called(index)
        if path not in modules and path not in sources:
            modules[path] = ("error", {"type": "", "error": "the test file could not be read as UTF-8 text"})
        elif path not in modules:
            module_name = path[: -len(".py")].replace("/", ".")
            module = module_type(module_name)
            namespace = module.__dict__
            namespace.update(__file__="/work/" + path, __builtins__=dict_(clean))
            namespace["__package__"] = module_name.rpartition(".")[0]
            try:
                code = compile_(sources[path], "/work/" + path, "exec", dont_inherit=True)
                exec_(code, namespace)
                modules[path] = ("ok", dict_(namespace))
            except BaseException as exc:
                modules[path] = ("error", describe(exc))
        state, value = modules[path]
        function = value.get(name) if state == "ok" else None
        if state == "error":
            send("result", index, {"status": "not_run", **value})
        elif not callable_(function):
            send("result", index, {"status": "not_run", "type": "", "error": "no test named " + name})
        else:
            try:
                function()
            except BaseException as exc:
                send("result", index, {"status": "raised", **describe(exc)})
            else:
                send("result", index, {"status": "returned"})
        index += 1
