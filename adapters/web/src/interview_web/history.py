"""``/history``: sessions, trends as inline SVG charts (readable without JavaScript), weak topics and the plan.

Also the same data as JSON (``/api/history``, ``/api/trends``, ``/api/plan``)
and the plan as a Markdown download (``/history/plan.md``).  The page costs
one query however many sessions there are (sessions joined with their
evaluations, see :func:`interview_engine.analytics.load_history`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Any

from litestar import Controller, Response, get
from litestar.response import Template
from markupsafe import Markup

from interview_engine import Engine, ModulePages, Track
from interview_engine.analytics import (
    HALF_LIFE_DAYS,
    STRONG_FROM,
    WEAK_BELOW,
    ActivityPoint,
    History,
    HistoryEntry,
    ModuleTrend,
    StudyPlan,
    TopicMastery,
    build_study_plan,
    build_trends,
    load_history,
    plan_markdown,
    to_json,
)
from interview_engine.study import StudyResource
from interview_web.deps import EngineDep
from interview_web.kit import AnyRequest, CurrentUser, page
from interview_web.module_pages import Site

COLORS = ("#3056d3", "#1f8a4c", "#b7791f", "#8e44ad", "#c0392b", "#16a085")
WIDTH, HEIGHT, PAD = 720, 240, 36


def _history(engine: Engine, user_id: str) -> History:
    titles = {name: module.title for name, module in engine.modules.items()}
    return load_history(engine.store, user_id, titles=titles)


def practice_link(resource: StudyResource, pages: ModulePages | None, track: str, difficulty: str) -> str:
    """Where a plan entry is practised in the app: its module's start page with that exact item chosen
    (or, for references, where it is read)."""
    if resource.kind != "practice" or not resource.item_id or pages is None:
        return resource.url
    return pages.practice_link(resource.item_id, track=track, difficulty=resource.difficulty or difficulty)


# -- charts: inline SVG, computed here so the page reads without JavaScript ---------------------------------


def _x_scale(times: Sequence[datetime]) -> Any:
    start, end = min(times), max(times)
    span = (end - start).total_seconds() or 1.0

    def x(at: datetime) -> float:
        return PAD + (WIDTH - 2 * PAD) * (at - start).total_seconds() / span

    return x


def _frame(label: str, y_max: float, start: datetime, end: datetime, body: list[str], legend: list[str]) -> Markup:
    grid = []
    for step in range(5):
        value = y_max * step / 4
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * step / 4
        grid.append(f'<line class="grid" x1="{PAD}" x2="{WIDTH - PAD}" y1="{y:.1f}" y2="{y:.1f}"/>')
        grid.append(f'<text class="tick" x="{PAD - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
    axis = (
        f'<text class="tick" x="{PAD}" y="{HEIGHT - 10}">{start:%Y-%m-%d}</text>'
        f'<text class="tick" x="{WIDTH - PAD}" y="{HEIGHT - 10}" text-anchor="end">{end:%Y-%m-%d}</text>'
    )
    return Markup(  # noqa: S704 - every interpolated text is escaped above or is a number
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>{''.join(grid)}{axis}{''.join(body)}</svg>"
        f'<p class="legend">{" ".join(legend)}</p>'
    )


def _swatch(color: str, text: str) -> str:
    return f'<span><i style="background:{color}"></i>{escape(text)}</span>'


def score_chart(trends: Sequence[ModuleTrend]) -> Markup:
    """Weighted score (0..5) per module over time: one line per module."""
    times = [p.at for t in trends for p in t.points]
    if not times:
        return Markup("")
    x = _x_scale(times)
    body, legend = [], []
    for index, trend in enumerate(trends):
        color = COLORS[index % len(COLORS)]
        coords = [(x(p.at), HEIGHT - PAD - (HEIGHT - 2 * PAD) * p.score / 5) for p in trend.points]
        path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
        body.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{path}"/>')
        if len(coords) <= 60:
            body.extend(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{color}"><title>{escape(trend.title)} '
                f"{p.at:%Y-%m-%d}: {p.score:.2f} ({escape(p.outcome)})</title></circle>"
                for (cx, cy), p in zip(coords, trend.points, strict=True)
            )
        legend.append(_swatch(color, trend.title))
    return _frame("Weighted score per module over time (0 to 5)", 5, min(times), max(times), body, legend)


def weekly_activity(points: Sequence[ActivityPoint]) -> list[dict[str, Any]]:
    """Attempts, hints and misconceptions summed per ISO week, oldest first."""
    weeks: dict[str, dict[str, Any]] = {}
    for point in points:
        year, week, _ = point.at.isocalendar()
        key = f"{year}-W{week:02d}"
        row = weeks.setdefault(key, {"week": key, "at": point.at, "sessions": 0, "attempts": 0, "hints": 0, "misc": 0})
        row["sessions"] += 1
        row["attempts"] += point.attempts
        row["hints"] += point.hints
        row["misc"] += point.misconceptions
    return [weeks[key] for key in sorted(weeks)]


def activity_chart(weeks: Sequence[dict[str, Any]]) -> Markup:
    """Attempts, hints and misconceptions per week: one line each."""
    if not weeks:
        return Markup("")
    times = [w["at"] for w in weeks]
    x = _x_scale(times)
    top = max(max(w["attempts"], w["hints"], w["misc"]) for w in weeks) or 1
    body, legend = [], []
    lines = ((COLORS[0], "attempts", "attempts"), (COLORS[2], "hints", "hints"), (COLORS[4], "misc", "misconceptions"))
    for color, key, label in lines:
        path = " ".join(f"{x(w['at']):.1f},{HEIGHT - PAD - (HEIGHT - 2 * PAD) * w[key] / top:.1f}" for w in weeks)
        body.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{path}"/>')
        legend.append(_swatch(color, label))
    return _frame("Attempts, hints and misconceptions per week", top, min(times), max(times), body, legend)


def mastery_chart(topics: Sequence[TopicMastery]) -> Markup:
    """Mastery per topic as horizontal bars, weakest first, with the weak and strong thresholds."""
    if not topics:
        return Markup("")
    shown = sorted(topics, key=lambda t: (t.mastery, t.topic))[:30]
    row, left, right = 22, 160, 60
    height = row * len(shown) + 30
    span = WIDTH - left - right
    bars = []
    for index, topic in enumerate(shown):
        y = 10 + index * row
        kind = "weak" if topic.mastery < WEAK_BELOW else "strong" if topic.mastery >= STRONG_FROM else "developing"
        bars.append(
            f'<text class="tick" x="{left - 8}" y="{y + 14}" text-anchor="end">{escape(topic.topic[:24])}</text>'
            f'<rect class="bar {kind}" x="{left}" y="{y + 2}" width="{span * topic.mastery:.1f}" height="{row - 6}">'
            f"<title>{escape(topic.topic)}: {topic.mastery:.0%} over {topic.attempts} items</title></rect>"
            f'<text class="tick" x="{left + span * topic.mastery + 6:.1f}" y="{y + 14}">{topic.mastery:.0%}</text>'
        )
    for threshold in (WEAK_BELOW, STRONG_FROM):
        tx = left + span * threshold
        bars.append(f'<line class="threshold" x1="{tx:.1f}" x2="{tx:.1f}" y1="6" y2="{height - 18}"/>')
    label = "Topic mastery, weakest first"
    return Markup(  # noqa: S704 - every interpolated text is escaped above or is a number
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{label}">'
        f"<title>{label}</title>{''.join(bars)}</svg>"
    )


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "&ndash;"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m {secs:02d}s"


def session_rows(entries: Sequence[HistoryEntry]) -> Markup:
    """The rows of the sessions table, one per session (rendered here: thousands of rows stay fast)."""
    rows = []
    for e in entries:
        score = f"{e.weighted_score:.2f}" if e.weighted_score is not None else "&ndash;"
        rows.append(
            f"<tr><td>{e.date:%Y-%m-%d %H:%M}</td><td>{escape(e.module_title)}</td><td>{e.track}</td>"
            f"<td>{e.difficulty}</td><td>{_duration(e.duration_s)}</td><td>{score}</td>"
            f"<td>{escape(e.verdict or e.status)}</td><td>{escape(e.kb_version)}</td>"
            f'<td><a href="/summary/{escape(e.session_id)}">Summary</a></td></tr>'
        )
    return Markup("\n".join(rows))  # noqa: S704 - every interpolated text is escaped or is a number


def _chosen_track(request: AnyRequest) -> str | None:
    """``?track=`` picks whose practice items the plan offers; unset means the newest session's track.

    A bad value reaches :func:`build_study_plan`, which names the field (a 400).
    """
    chosen = request.query_params.get("track")
    return chosen or None


class HistoryController(Controller):
    """The History page and its JSON and Markdown views."""

    @get("/history", include_in_schema=False, sync_to_thread=True)
    def history_page(self, request: AnyRequest, engine: EngineDep, user: CurrentUser, site: Site) -> Template:
        history = _history(engine, user.id)
        entries = history.entries
        trends = build_trends(history)
        chosen = _chosen_track(request)
        plan = build_study_plan(engine, user.id, history=history, mastery=trends.mastery, track=chosen)
        difficulty = entries[0].difficulty if entries else "mid"
        weeks = weekly_activity(trends.activity)
        links = {
            (t.topic, r.kind, r.module, r.item_id, r.title): practice_link(
                r, site.get(r.module), plan.track, difficulty
            )
            for t in plan.topics
            for r in t.resources
        }
        return page(
            request,
            "history.html",
            user=user,
            entries=entries,
            session_rows=session_rows(entries),
            trends=trends,
            plan=plan,
            chosen_track=chosen,
            tracks=[t.value for t in Track],
            links=links,
            weeks=weeks,
            score_chart=score_chart(trends.modules),
            activity_chart=activity_chart(weeks),
            mastery_chart=mastery_chart(trends.mastery),
            half_life=HALF_LIFE_DAYS,
            weak_below=WEAK_BELOW,
            strong_from=STRONG_FROM,
        )

    @get("/history/plan.md", include_in_schema=False, sync_to_thread=True)
    def plan_markdown(self, request: AnyRequest, engine: EngineDep, user: CurrentUser) -> Response[str]:
        plan = build_study_plan(engine, user.id, history=_history(engine, user.id), track=_chosen_track(request))
        return Response(
            plan_markdown(plan),
            media_type="text/markdown; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="study-plan-{plan.digest}.md"'},
        )

    @get("/api/history", operation_id="getHistory", sync_to_thread=True, tags=["analytics"])
    def history_json(self, request: AnyRequest, engine: EngineDep, user: CurrentUser) -> list[dict[str, Any]]:
        """Every session of the current user, newest first, with its score and outcome."""
        rows: list[dict[str, Any]] = to_json(_history(engine, user.id).entries)
        return rows

    @get("/api/trends", operation_id="getTrends", sync_to_thread=True, tags=["analytics"])
    def trends_json(self, request: AnyRequest, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
        """Scores per module over time, activity per session, topic mastery and the weak/strong ranking."""
        body: dict[str, Any] = to_json(build_trends(_history(engine, user.id)))
        return body

    @get("/api/plan", operation_id="getStudyPlan", sync_to_thread=True, tags=["analytics"])
    def plan_json(self, request: AnyRequest, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
        """The study plan of the current user's weakest topics."""
        plan: StudyPlan = build_study_plan(
            engine, user.id, history=_history(engine, user.id), track=_chosen_track(request)
        )
        body: dict[str, Any] = to_json(plan)
        return body
