"""The pickers: solved and attempted items marked, a topic filter, and the remembered track and level."""

from __future__ import annotations

import re
from typing import Any

from interview_engine import Decision, Engine, Evaluation
from tests.web.conftest import Client, sign_up


def _me(client: Client, engine: Engine, email: str) -> Any:
    found = engine.store.find_user(email)
    assert found is not None
    return found


def _evaluated(engine: Engine, user_id: str, module: str, item: Any, option: str, score: float, result: str) -> None:
    session = engine.start_session(
        user_id=user_id, module=module, track=item.track, difficulty=item.difficulty, options={option: item.id}
    )
    evaluation = Evaluation(
        session_id=session.id, rubric="r@1", scores={}, weighted_average=score, decision=Decision.HOLD, result=result
    )
    engine.save_evaluation(evaluation, user_id=user_id)


def _card(html: str, item_id: str) -> str:
    found = re.search(rf'<li class="card item[^"]*" id="item-{re.escape(item_id)}">(.*?)</li>', html, re.S)
    assert found, item_id
    return found.group(1)


def test_the_coding_picker_marks_solved_and_attempted_problems(client: Client, web_engine: Engine) -> None:
    sign_up(client, "picker@example.com")
    user = _me(client, web_engine, "picker@example.com")
    first, second, third = web_engine.items("live_coding", "backend", "mid")[:3]
    _evaluated(web_engine, user.id, "live_coding", first, "problemId", 2.0, "partial")
    _evaluated(web_engine, user.id, "live_coding", first, "problemId", 4.5, "solved")
    _evaluated(web_engine, user.id, "live_coding", second, "problemId", 1.25, "partial")
    html = client.get("/coding?track=backend&difficulty=mid").text
    solved = _card(html, first.id)
    assert "mark-solved" in solved and "2 sessions" in solved and "best 4.50 (solved)" in solved
    attempted = _card(html, second.id)
    assert "mark-attempted" in attempted and "best 1.25 (partial)" in attempted and "Start again" in attempted
    untried = _card(html, third.id)
    assert "mark-" not in untried and ">Start<" in untried
    total = len(web_engine.items("live_coding", "backend", "mid"))
    assert f"{total} problems: 1 solved, 1 attempted, {total - 2} not tried yet" in html


def test_a_debugging_scenario_is_solved_only_when_fixed(client: Client, web_engine: Engine) -> None:
    sign_up(client, "fixer@example.com")
    user = _me(client, web_engine, "fixer@example.com")
    scenario = web_engine.items("debugging")[0]
    _evaluated(web_engine, user.id, "debugging", scenario, "scenarioId", 3.0, "partial")
    query = f"track={scenario.track.value}&difficulty={scenario.difficulty.value}"
    assert "mark-attempted" in _card(client.get(f"/debugging?{query}").text, scenario.id)
    _evaluated(web_engine, user.id, "debugging", scenario, "scenarioId", 2.0, "fixed")
    card = _card(client.get(f"/debugging?{query}").text, scenario.id)
    assert "mark-solved" in card and "best 3.00 (partial)" in card  # solved once; the best score is another run


def test_another_candidates_sessions_mark_nothing(client: Client, web_engine: Engine) -> None:
    other = web_engine.store.ensure_user("other@example.com")
    item = web_engine.items("live_coding", "backend", "mid")[0]
    _evaluated(web_engine, other.id, "live_coding", item, "problemId", 5.0, "solved")
    sign_up(client, "me@example.com")
    assert "mark-" not in client.get("/coding?track=backend&difficulty=mid").text


def test_the_topic_filter_lists_only_items_of_that_topic(client: Client, web_engine: Engine) -> None:
    sign_up(client, "topics@example.com")
    items = web_engine.items("live_coding", "backend", "mid")
    tag = items[0].topics[0]
    html = client.get(f"/coding?track=backend&difficulty=mid&tag={tag}").text
    shown = set(re.findall(r'id="item-([^"]+)"', html))
    assert shown == {i.id for i in items if tag in i.topics}
    assert f'<option value="{tag}" selected>' in html
    # A topic that no listed item has (or a hostile one) is no filter at all, not an empty page or an error.
    for unknown in ("no-such-topic", "<script>", "x" * 5000):
        response = client.get("/coding", params={"track": "backend", "difficulty": "mid", "tag": unknown})
        assert response.status_code == 200
        assert set(re.findall(r'id="item-([^"]+)"', response.text)) == {i.id for i in items}
        assert "<script>" not in response.text.split("<main", 1)[1]
    assert client.get("/coding?tag=a%00b").status_code == 400


def test_the_track_and_level_chosen_are_remembered_for_the_candidate(app_factory: Any, web_engine: Engine) -> None:
    with app_factory() as client:
        sign_up(client, "remember@example.com")
        home = client.get("/").text
        assert 'value="backend" checked' in home and 'value="mid" checked' in home
        client.get("/debugging?track=mobile&difficulty=senior")
        user = _me(client, web_engine, "remember@example.com")
        assert (user.track, user.difficulty) == ("mobile", "senior")
    with app_factory() as elsewhere:  # another browser: the choice is kept server-side
        form = elsewhere.get("/signin").text
        token = re.search(r'name="_csrf" value="([^"]+)"', form)
        assert token
        elsewhere.post(
            "/signin",
            data={"_csrf": token.group(1), "email": "remember@example.com", "password": "correct horse battery"},
        )
        home = elsewhere.get("/").text
        assert 'value="mobile" checked' in home and 'value="senior" checked' in home
        assert 'value="mobile" selected' in elsewhere.get("/coding").text
        assert 'value="senior" selected' in elsewhere.get("/session").text
        # A bad value changes nothing; starting a session remembers its track and level.
        elsewhere.get("/coding?track=nonsense&difficulty=")
        assert _me(elsewhere, web_engine, "remember@example.com").track == "mobile"
        item = web_engine.items("live_coding", "frontend", "mid")[0]
        web_engine.start_session(
            user_id=_me(elsewhere, web_engine, "remember@example.com").id,
            module="live_coding",
            track="frontend",
            difficulty="mid",
            options={"problemId": item.id},
        )
        assert 'value="frontend" checked' in elsewhere.get("/").text
