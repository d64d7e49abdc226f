"""The candidate's patch on the summary: changed lines marked, each finding at the line it is about."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from interview_debugging.pack import DebugPack, load_pack
from interview_debugging.patch_view import annotated_patch

PACK = load_pack()
SCENARIO = PACK.scenarios["be-mid-invoice-split"]  # billing.py, root cause lines 18-19 in split_cents


def _notes(entry: dict, word: str) -> list[int]:
    return [f["line"] for f in entry["findings"] if word in f["text"]]


def test_the_reference_fix_is_shown_with_its_changed_lines_and_the_root_cause(pack: DebugPack) -> None:
    fixed = SCENARIO.fixed_files()
    (entry,) = annotated_patch(
        SCENARIO, fixed, location="billing.py:19", location_matched=True, regression=None, ended=True
    )
    assert entry["path"] == "billing.py" and entry["added"] is False
    assert entry["changed"], "the fix changes some lines"
    first, last = SCENARIO.root_cause.lines
    (cause,) = _notes(entry, "The root cause")
    assert cause == first  # nothing moved above the bug: the note sits on the original line
    assert "your change reaches it" in next(f["text"] for f in entry["findings"] if "The root cause" in f["text"])
    assert _notes(entry, "Your diagnosis points here") == [19]
    assert "matches the root cause" in next(f["text"] for f in entry["findings"] if "diagnosis" in f["text"])
    assert _notes(entry, "You changed") == [min(entry["changed"])]


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1, max_value=40))
def test_notes_follow_the_code_when_the_patch_moves_it(shift: int) -> None:
    fixed = SCENARIO.fixed_files()
    moved = {"billing.py": "# a note of mine\n" * shift + fixed["billing.py"]}
    (entry,) = annotated_patch(
        SCENARIO, moved, location="billing.py:18", location_matched=True, regression=None, ended=True
    )
    assert _notes(entry, "The root cause") == [SCENARIO.root_cause.lines[0] + shift]
    assert _notes(entry, "Your diagnosis points here") == [18 + shift]
    assert _notes(entry, "You added") == [1]  # the comment lines, added at the top


def test_before_the_end_the_root_cause_is_not_placed_and_untouched_files_are_left_out() -> None:
    unchanged = dict(SCENARIO.files)
    assert annotated_patch(SCENARIO, unchanged, location="", location_matched=None, regression=None, ended=False) == []
    # After the end, the root cause's file is shown even untouched: the finding belongs to it.
    (entry,) = annotated_patch(
        SCENARIO, unchanged, location="billing.py:19", location_matched=True, regression=None, ended=True
    )
    assert entry["unchanged"] is True and entry["changed"] == []
    assert _notes(entry, "The root cause") == [SCENARIO.root_cause.lines[0]]
    assert "does not touch these lines" in next(f["text"] for f in entry["findings"] if "The root cause" in f["text"])
    assert _notes(entry, "Your diagnosis points here") == [19]
    wrong = {**SCENARIO.files, "billing.py": SCENARIO.files["billing.py"].replace("def ", "def  ", 1)}
    (entry,) = annotated_patch(
        SCENARIO, wrong, location="billing.py:2", location_matched=None, regression=None, ended=False
    )
    assert not _notes(entry, "root cause")
    assert any(f["text"] == "Your diagnosis points here (billing.py:2)." for f in entry["findings"])


def test_a_fix_elsewhere_says_it_does_not_touch_the_root_cause() -> None:
    lines = SCENARIO.files["billing.py"].split("\n")
    lines[0] = lines[0] + "  # touched"
    (entry,) = annotated_patch(
        SCENARIO, {"billing.py": "\n".join(lines)}, location="", location_matched=False, regression=None, ended=True
    )
    assert any("does not touch these lines" in f["text"] for f in entry["findings"])


def test_a_new_regression_test_file_carries_its_verdicts_at_its_first_test() -> None:
    regression = {"files": ["test_regression.py"], "onBug": "failed", "onYourFix": "passed"}
    source = "import billing\n\n\ndef test_cents_add_up():\n    assert True\n"
    (entry,) = annotated_patch(
        SCENARIO,
        {**SCENARIO.files, "test_regression.py": source},
        location="",
        location_matched=None,
        regression=regression,
        ended=False,
    )
    assert entry["added"] is True and entry["changed"] == [1, 2, 3, 4, 5, 6]
    assert _notes(entry, "Your regression test: failed on the original bug") == [4]


def test_hostile_text_is_kept_as_text() -> None:
    hostile = {"billing.py": "\x00" * 3 + "<script>alert(1)</script>\n" * 3, "huge.py": "x = 1\n" * 6000}
    entries = annotated_patch(
        SCENARIO, hostile, location="billing.py:999999", location_matched=False, regression=None, ended=True
    )
    assert {e["path"] for e in entries} == {"billing.py", "huge.py"}
    assert not _notes(next(e for e in entries if e["path"] == "billing.py"), "diagnosis")


def test_a_regression_test_nested_too_deep_for_the_host_parser_is_shown_without_an_error() -> None:
    """The test file is the candidate's: 20 000 unary minus signs defeat ast.parse (MemoryError or
    RecursionError); the verdict goes on line 1 instead of the first test function."""
    deep = "def test_deep():\n    assert " + "-" * 20_000 + "1\n"
    regression = {"files": ["test_deep.py"], "onBug": "failed", "onYourFix": "passed"}
    files = {**SCENARIO.fixed_files(), "test_deep.py": deep}
    entries = annotated_patch(SCENARIO, files, location="", location_matched=None, regression=regression, ended=False)
    (entry,) = [e for e in entries if e["path"] == "test_deep.py"]
    assert _notes(entry, "Your regression test") == [1]
