"""The judge: which key points a text states, what false claims it makes, whether it explains.

Meaning comes from sentence embeddings (:mod:`._model`); no embedding tells a
wrong sentence from a right one on its own, so falsehood is found separately:

- a sentence close to one of the item's known misconceptions asserts it, unless
  it negates it ("an index does not always help" denies "an index always helps");
- a sentence close to a key point that inverts one of its comparisons
  ("faster" for "slower", "before" for "after") contradicts it.

A sentence found false credits no key point.  Whether the text is an
explanation at all (not a list of terms) and on the item's topic are judged on
the whole text.  :mod:`.rules` turns the findings into the score.
"""

from __future__ import annotations

import numpy as np
from attrs import evolve, frozen

from interview_engine.judging import _text
from interview_engine.judging._model import MODEL_NAME, embedder
from interview_engine.judging.item import ClaimFinding, JudgedItem, Judgment, KeyPoint, PointFinding
from interview_engine.judging.rules import JudgingRules, rules_for

__all__ = ["LOCATION_POINT", "SCORER", "judge"]

SCORER = f"judging/{MODEL_NAME}"
LOCATION_POINT = "names the faulty location"


def _anchors(point: KeyPoint) -> list[str]:
    return [point.point, *point.anchors]


def _with_reference(item: JudgedItem, rules: JudgingRules) -> list[list[str]]:
    """Each key point's wordings, plus the reference sentence that states it (when one does)."""
    wordings = [_anchors(p) for p in item.key_points]
    said = _text.sentences(item.reference)
    reference = [u for s in said for u in ([s.text, *_text.clauses(s)] if rules.reference_clauses else [s.text])]
    if not reference or not wordings:
        return wordings
    model = embedder()
    sims = model.embed([p.point for p in item.key_points]) @ model.embed(reference).T
    if rules.reference_clauses:
        # A reference clause words the one key point it is closest to, not every point nearby.
        sims = np.where(sims >= sims.max(axis=0, keepdims=True), sims, -1.0)
    for k, row in enumerate(sims):
        best = int(np.argmax(row))
        if row[best] >= rules.credit:
            wordings[k].append(reference[best])
    return wordings


def _stating(units: list[str], wordings: list[list[str]], unit_points: np.ndarray, rules: JudgingRules) -> np.ndarray:
    """How closely each unit states each key point: the sentence cosine, blended with token coverage.

    With ``rules.alignment`` a, ``(1 - a) * cosine + a * coverage``, where coverage is how much of the
    point's closest wording the unit holds token by token (:meth:`Embedder.coverage`): a point stated
    inside a long clause, or in close words rather than the same ones, is not diluted by the rest.
    """
    if rules.alignment <= 0 or not wordings:
        return unit_points
    model = embedder()
    covered = np.full(unit_points.shape, -1.0, dtype=np.float32)
    for k, anchors in enumerate(wordings):
        # A phrase of two or three words covered token by token is a keyword match: only wordings of
        # a sentence's length are covered.
        long = [a for a in anchors if len(_text.words(a)) >= rules.sentence_words]
        if long:
            covered[:, k] = model.coverage(long, units).max(axis=1)
    covered = np.where(covered < 0, unit_points, covered)
    return ((1.0 - rules.alignment) * unit_points + rules.alignment * covered).astype(np.float32)


def _by_sentence(unit_sims: np.ndarray, owners: np.ndarray, count: int) -> np.ndarray:
    """The best unit similarity of each sentence."""
    out = np.full(count, -1.0, dtype=np.float32)
    np.maximum.at(out, owners, unit_sims.astype(np.float32))
    return out


def _per_sentence(unit_points: np.ndarray, owners: np.ndarray, count: int, points: int) -> np.ndarray:
    """The best unit similarity of each sentence to each key point, shape ``(count, points)``."""
    if not points:
        return np.zeros((count, 0), dtype=np.float32)
    return np.stack([_by_sentence(unit_points[:, k], owners, count) for k in range(points)], axis=1)


def _denies(sentence_words: tuple[str, ...], claim: str, scope: int) -> bool:
    """Whether the sentence negates what the claim asserts, or asserts what the claim negates.

    By the claim's words that fall within ``scope`` words after a negation ("not", "never", "no",
    "it's a myth that", ...) in one text and not in the other, unless both negate alike
    ("impossible" counts as a negation, "no problem" as none).  Counting negations alone would take
    a double negation ("you never want it back, so no encryption") for an assertion.
    """
    claim_words = tuple(_text.words(claim))
    said, claimed = _text.negations(sentence_words), _text.negations(claim_words)
    if said and claimed and (said - claimed) % 2 == 0:
        return False  # both negate: "you can't get XSS in React at all" asserts "React makes XSS impossible"
    said_negated, said_plain = _text.negated_terms(sentence_words, scope)
    claim_negated, claim_plain = _text.negated_terms(claim_words, scope)
    return bool(said_negated & claim_plain) or bool(claim_negated & said_plain)


def _sides_with(unit: str, claim: str, nearer: np.ndarray, absolute: np.ndarray) -> bool:
    """Whether a clause states the absolute of a claim that no true statement nearer to it states.

    "A dispatcher always starts a new thread for each coroutine" is worded like the true "a dispatcher
    decides which threads a coroutine runs on", but its "always" is the claim's, not the truth's.
    """
    if not (_text.absolutes(tuple(_text.words(unit))) and _text.stated_absolutes(claim)):
        return False
    return not bool((nearer & absolute).any())


def judge(
    item: JudgedItem,
    text: str,
    *,
    rules: JudgingRules | None = None,
    location: tuple[str, bool] | None = None,
) -> Judgment:
    """Judge ``text`` against ``item``.

    Args:
        item: what the text answers.
        text: the candidate's words.
        rules: the scoring rules (default: the bundled rules for ``item.kind``).
        location: for a diagnosis, the location the candidate gave and whether it is the faulty one;
            it is judged as one more key point of weight ``rules.location_weight``.

    Returns:
        The findings and the score they earn.
    """
    rules = rules or rules_for(item.kind)
    said = _text.sentences(text)
    if not said:
        points = [PointFinding(p.point, False, "", 0.0, p.aspect) for p in item.key_points]
        return Judgment(item.kind, item.item_id, 0.0, SCORER, points, (), explains=False, notes=("no answer given",))
    model = embedder()
    # Units: each sentence, and its clauses; a unit's findings quote its sentence.
    units: list[str] = []
    owner: list[int] = []
    for i, sentence in enumerate(said):
        for unit in [sentence.text, *_text.clauses(sentence)]:
            units.append(unit)
            owner.append(i)
    unit_vectors = model.embed(units)
    owners = np.asarray(owner)

    # Which sentences assert something false.
    false: list[ClaimFinding] = []
    false_rows: set[int] = set()
    wordings = _with_reference(item, rules)
    unit_points = np.full((len(units), max(1, len(item.key_points))), -1.0, dtype=np.float32)
    for k, anchors in enumerate(wordings):
        unit_points[:, k] = (unit_vectors @ model.embed(anchors).T).max(axis=1)
    point_sims = _per_sentence(unit_points, owners, len(said), len(item.key_points))
    # A clause credits only the key points it is (nearly) closest to: one sentence that is vaguely
    # near every point of a topic states one of them, not all.
    direct = unit_vectors @ model.embed([p.point for p in item.key_points]).T if item.key_points else unit_points
    nearest = direct.max(axis=1, keepdims=True) - rules.assign_margin
    stating = _stating(units, wordings, unit_points, rules)
    # ... unless it states another one as closely as ``shared_credit`` (a clause can state two points).
    near = (direct >= nearest) | (stating >= rules.shared_credit)
    assigned = np.where(near, stating, -1.0).astype(np.float32)
    credit_sims = _per_sentence(assigned, owners, len(said), len(item.key_points))
    # What the reference says is true: a clause closer to it than to a false claim is not false.
    # And a unit that restates a sentence or clause of the reference (nearly word for word) says what
    # is true, however close a false claim in the topic's words sits to it.  One embedding of both.
    told: list[str] = []
    whole_sentences: list[int] = []
    for sentence in _text.sentences(item.reference):
        whole_sentences.append(len(told))
        told += [sentence.text, *_text.clauses(sentence)]
    unit_truth = np.zeros(len(units), np.float32)
    restated = np.zeros(len(units), dtype=bool)
    if told:
        told_sims = unit_vectors @ model.embed(told).T
        unit_truth = told_sims[:, whole_sentences].max(axis=1)
        restated = told_sims.max(axis=1) >= rules.restates
    best_truth = _by_sentence(unit_truth, owners, len(said))
    # What a false claim must be closer to than: the key points and the reference, and with
    # claim_vs_wordings the points' other wordings too (which also sit near a fluent wrong
    # sentence in the topic's words, so without them more claims are found).
    stated = unit_points.max(axis=1) if rules.claim_vs_wordings > 0 else direct.max(axis=1)
    unit_true = np.maximum(stated, unit_truth)
    sentence_true = _by_sentence(unit_true, owners, len(said))
    # Every true statement (points, their wordings, the reference's sentences and clauses) and whether
    # it states an absolute: a clause that states the claim's absolute takes the claim's side, however
    # near it is to a true statement in the same words that states none.
    truths = list(dict.fromkeys([*(a for anchors in wordings for a in anchors), *told]))
    truth_sims = unit_vectors @ model.embed(truths).T
    truth_absolute = np.asarray([bool(_text.stated_absolutes(t)) for t in truths], dtype=bool)
    for j, claim in enumerate(item.misconceptions):
        # A claim and its other wordings: each unit is read against the statement it is closest to.
        statements = list(item.claim_statements(j))
        by_statement = unit_vectors @ model.embed(statements).T
        nearest_statement = by_statement.argmax(axis=1)
        claim_sims = by_statement.max(axis=1)
        for u in np.argsort(-claim_sims)[:6]:
            sim = float(claim_sims[u])
            i = int(owners[u])
            stated = statements[int(nearest_statement[u])]
            if sim < min(rules.claim, rules.overclaim_claim):
                break
            needed = rules.overclaim_claim if _text.overclaims(said[i].words) else rules.claim
            if i in false_rows or sim < needed:
                continue
            if _text.stated_absolutes(stated) and not _text.absolutes(said[i].words):
                continue  # "the cache is always consistent" is not asserted by a sentence that states no absolute
            if not _sides_with(units[u], stated, truth_sims[u] + rules.claim_margin > sim, truth_absolute):
                if sim + 1e-6 < unit_true[u] + rules.claim_margin or restated[u]:
                    continue
                if sim + rules.sentence_slack < sentence_true[i]:
                    continue  # the rest of the sentence states what is true more closely
            if _denies(tuple(_text.words(units[u])), stated, int(rules.deny_scope)):
                continue
            false.append(ClaimFinding(claim, said[i].text, "misconception", round(sim, 3)))
            false_rows.add(i)
            break
    for i, sentence in enumerate(said):
        if i in false_rows or not item.key_points:
            continue
        k = int(np.argmax(point_sims[i]))
        if point_sims[i, k] < rules.contradiction or best_truth[i] >= rules.restates:
            continue
        point = item.key_points[k]
        flipped = _text.opposite(
            _text.comparisons(sentence.words),
            set().union(*(_text.comparisons(tuple(_text.words(a))) for a in wordings[k])),
        )
        if flipped:
            claim = f'contradicts "{point.point}" ({flipped[0]} where it is {flipped[1]})'
            false.append(ClaimFinding(claim, sentence.text, "contradiction", round(float(point_sims[i, k]), 3)))
            false_rows.add(i)

    # Which key points the true sentences state.
    findings: list[PointFinding] = []
    weight = credit = 0.0
    for k, point in enumerate(item.key_points):
        sims = credit_sims[:, k].copy()
        for i, sentence in enumerate(said):
            if i in false_rows or len(sentence.words) < rules.sentence_words or _text.hedged(sentence.text):
                sims[i] = -1.0  # a false, too short or "I couldn't tell you" sentence states nothing
            elif sentence.text.endswith("?"):
                sims[i] = -1.0  # a question ("is it something to do with ...?") asserts nothing
            elif point.aspect == "complexity" and not _text.states_complexity(sentence.text):
                sims[i] = -1.0  # "should be fast" is not a complexity
        i = int(np.argmax(sims))
        sim = float(sims[i])
        credited = sim >= rules.credit
        share = 0.5 + 0.5 * min(1.0, (sim - rules.credit) / (rules.full - rules.credit)) if credited else 0.0
        weight += point.weight
        credit += point.weight * share
        findings.append(
            PointFinding(point.point, credited, said[i].text if credited else "", round(sim, 3), point.aspect)
        )
    if location is not None and rules.location_weight > 0:
        given, matched = location
        weight += rules.location_weight
        credit += rules.location_weight if matched else 0.0
        findings.append(
            PointFinding(LOCATION_POINT, matched, given if matched else "", 1.0 if matched else 0.0, "location")
        )

    mechanism = [f for f in findings if f.aspect == "mechanism"]
    if rules.other_cause and mechanism and not any(f.credited for f in mechanism) and not false:
        causal = next((s for s in said if _text.states_cause(s.text) and not _text.hedged(s.text)), None)
        if causal is not None:
            false.append(ClaimFinding("names a cause that is not the root cause", causal.text, "other_cause", 0.0))

    # Filler ("Um, let me think.", "I hope that makes sense.") relates to nothing the item says: the
    # readings of the whole text (an explanation or a list, on topic, how long) leave it out, so
    # padding a text never turns a list into an explanation or lifts the cap of a brief answer.
    kept = [s for i, s in enumerate(said) if float(sentence_true[i]) >= rules.filler] or said[:1]
    explains = _text.explains("\n".join(s.text for s in kept))
    reference = " ".join([item.prompt, item.reference or " ".join(p.point for p in item.key_points)])
    whole = model.embed([" ".join(s.text for s in kept), reference, *item.rivals])
    relevance = whole[1:] @ whole[0]
    # A text that states several of this item's own points answers it, even when a neighbour of the
    # same topic (which shares its words, not its points) is closer as a whole.
    own = sum(1 for f in findings if f.credited and f.aspect != "location" and f.similarity >= rules.full)
    pulled = len(relevance) > 1 and float(relevance[1:].max()) > float(relevance[0]) + rules.rival_margin
    on_topic = float(relevance[0]) >= rules.on_topic and not (
        pulled and not (rules.own_points > 0 and own >= rules.own_points)
    )
    unsure = _text.hedged(text)
    if not (explains and on_topic):
        # A list of terms or an answer to another question states nothing about this item.
        findings = [evolve(f, credited=False, evidence="") if f.aspect != "location" else f for f in findings]
        credit = sum(rules.location_weight for f in findings if f.aspect == "location" and f.credited)
    # A sentence that states a key point explains ("I fixed it by counting bytes as an integer"):
    # only a claim that it works or is fast with nothing credited in it is hand-waving.
    stated = {f.evidence for f in findings if f.credited and f.aspect != "location"}
    vague = _text.hand_waves([s for s in said if s.text not in stated])
    length = sum(len(s.words) for s in kept)
    reading = _Reading(explains=explains, on_topic=on_topic, unsure=unsure, vague=vague, words=length)
    score, notes = _score(rules, findings, false, weight, credit, reading)
    return Judgment(
        item.kind,
        item.item_id,
        score,
        SCORER,
        findings,
        false,
        explains=explains,
        on_topic=on_topic,
        unsure=unsure,
        notes=notes,
    )


@frozen
class _Reading:
    """What the whole text is: an explanation, on topic, a "don't know", hand-waving."""

    explains: bool
    on_topic: bool
    unsure: bool
    vague: str  # the sentence that hand-waves, or ""
    words: int


def _score(
    rules: JudgingRules,
    findings: list[PointFinding],
    false: list[ClaimFinding],
    weight: float,
    credit: float,
    reading: _Reading,
) -> tuple[float, tuple[str, ...]]:
    explains, on_topic, unsure = reading.explains, reading.on_topic, reading.unsure
    notes: list[str] = []
    if any(f.credited for f in findings if f.aspect != "location") and weight > 0:
        raw = rules.base + rules.span * credit / weight
    else:
        raw = rules.unsure if unsure else rules.nothing
        notes.append("says they do not know" if unsure else "states none of the key points")
    if unsure and credit < 0.5 * weight:
        raw = min(raw, rules.unsure_cap)
        if notes[-1:] != ["says they do not know"]:
            notes.append(f"says they do not know: at most {rules.unsure_cap:g}")
    if false:
        raw = min(raw - rules.misconception_penalty * len(false), rules.misconception_cap)
        notes.append(f"{len(false)} false claim(s): at most {rules.misconception_cap:g}")
    if reading.words < rules.brief_words and raw > rules.brief_cap:
        raw = rules.brief_cap
        notes.append(f"{reading.words} words cover one or two points at most: at most {rules.brief_cap:g}")
    if reading.vague and raw > rules.vague_cap:
        raw = rules.vague_cap
        notes.append(f'says it works or is fast instead of why ("{reading.vague}"): at most {rules.vague_cap:g}')
    if not explains:
        raw = min(raw, rules.list_cap)
        notes.append(f"a list of terms, not an explanation: at most {rules.list_cap:g}")
    if not on_topic:
        raw = min(raw, rules.off_topic_cap)
        notes.append(f"does not answer this question: at most {rules.off_topic_cap:g}")
    return round(min(5.0, max(0.0, raw)), 2), tuple(notes)
