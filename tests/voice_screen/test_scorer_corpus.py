"""The local scorer against a corpus: paraphrases, misconceptions, off-topic answers, and the whole bank.

Per sampled question (10 per track) a paraphrase written for this test must
score >= 3, a stated misconception must be detected, the model answer must
score >= 4, and an off-topic answer (another topic's model answer) must score
<= 1 and match no key point.  Over the whole bank every model answer scores
>= 4 against its own question and matches no key point of any question on
another topic.
"""

from __future__ import annotations

from itertools import cycle

import pytest

from interview_engine import AnswerScore
from interview_voice_screen import knowledge_base
from interview_voice_screen.bank import Question
from interview_voice_screen.scorer import score_screen_answer, scoring_request

KB = knowledge_base()
QUESTIONS = [(track, q) for track in KB.pack.tracks for q in KB.track_questions(track)]

# question id -> (a paraphrase of a good answer, a candidate stating a misconception)
CORPUS: dict[str, tuple[str, str]] = {
    "be-db-01": (
        "The index is a balanced tree that keeps the values ordered, so finding a row takes a few page reads, "
        "logarithmic in the table size, rather than a full table scan. Range conditions like BETWEEN use it too. "
        "The price is slower writes because every insert has to maintain the index as well.",
        "I would just index everything, an index always makes queries faster.",
    ),
    "be-tx-01": (
        "Atomicity means all or nothing: if anything fails the whole transaction is rolled back. Consistency "
        "means constraints hold before and after. Isolation means concurrent transactions don't see each other's "
        "partial work, and durability means once committed it survives a crash thanks to the write-ahead log.",
        "The C in ACID is the same as CAP consistency, reads always see the latest write everywhere.",
    ),
    "be-cache-01": (
        "The app checks the cache first; on a cache miss it reads from the database and then stores the value in "
        "the cache. On writes you update the database and delete the key. The catch is stale data from races "
        "between a reader and a writer, so every entry gets a TTL as a safety net.",
        "With cache-aside the cache is always consistent with the database, so staleness is not a concern.",
    ),
    "be-api-01": (
        "Idempotent means that sending the same request several times has the same effect as sending it once. "
        "PUT and DELETE are idempotent, POST is not. It matters because clients retry after a timeout without "
        "knowing whether the first attempt went through; for POST you add an idempotency key.",
        "Idempotent means you get an identical response every time you call it.",
    ),
    "be-conc-01": (
        "A race condition is when the result depends on the timing of threads touching shared state. Two "
        "threads incrementing a counter both read 5 and both write 6, a lost update. You fix it with a mutex "
        "around the increment or an atomic increment.",
        "Race conditions only happen on multi-core machines, on a single core it is safe.",
    ),
    "be-dist-01": (
        "When the network partitions, a distributed store has to choose between consistency and availability. "
        "Network failures are going to happen, so partition tolerance is not optional. Consistency there means "
        "reads see the most recent write, and PACELC adds that even without partitions you trade latency.",
        "You pick any two of consistency, availability and partition tolerance, for example a CA system.",
    ),
    "be-sec-01": (
        "Hash them with a slow, memory-hard function such as Argon2 or bcrypt, with a random salt for every "
        "password and a work factor you can raise over time. Plain SHA-256 or MD5 is far too fast, attackers "
        "can try billions of guesses per second.",
        "We encrypt passwords with AES so support can decrypt the password when a user forgets it.",
    ),
    "be-msg-01": (
        "A queue decouples the services: the producer keeps working when the consumer is down, everything becomes "
        "asynchronous. It absorbs traffic spikes as a buffer, and you can add workers as competing consumers. "
        "The cost is eventual consistency, duplicate deliveries and one more system to operate.",
        "The nice thing is the queue makes sure each message is processed exactly once.",
    ),
    "be-db-04": (
        "First I'd ask what changed: a recent deploy, data growth, different parameters. Then run EXPLAIN "
        "ANALYZE to see the actual plan, since stale statistics can make the planner flip to a bad plan. I'd "
        "also look at lock contention and I/O on the host, and afterwards add alerts on the slow query log.",
        "I'd just add more hardware first and see if that fixes it.",
    ),
    "be-db-05": (
        "Use expand and contract: add a new column, have the application write to both columns, backfill the "
        "old rows in small batches so you don't hold long locks, then switch reads to the new column, verify, "
        "and drop the old column in a later release. Each step stays backward compatible.",
        "ALTER TABLE is instant these days, you just run alter table on the column.",
    ),
    "fe-js-01": (
        "A closure is a function bundled with its lexical scope: it can still read the variables of the outer "
        "function even after that function has returned. I use it for private state, like a counter factory, "
        "and for callbacks that remember their context.",
        "A closure copies the values of the variables when it is created, like a snapshot.",
    ),
    "fe-loop-01": (
        "JavaScript runs on a single thread with one call stack; synchronous code runs to completion first. "
        "Then all microtasks, like promise callbacks, are drained, and only then the next macrotask from the "
        "task queue, such as a setTimeout callback, gets to run.",
        "setTimeout with 0 runs immediately, before the promise callbacks.",
    ),
    "fe-render-01": (
        "The browser parses the HTML into the DOM and the CSS into the CSSOM, combines them into a render tree "
        "of visible nodes, runs layout to work out geometry, then paints and composites the layers on the GPU. "
        "CSS is render-blocking and plain scripts are parser blocking.",
        "The browser waits for all images to load before it renders anything.",
    ),
    "fe-css-01": (
        "Every box is content, then padding, then border, then margin. By default width is the content box, so "
        "padding and border are added on top and the box ends up wider than you set. border-box includes the "
        "padding and border in the width. Vertical margins between blocks can collapse.",
        "With border-box the width includes the margin as well.",
    ),
    "fe-react-01": (
        "React uses keys to match list items between renders during reconciliation. They should be stable and "
        "unique, usually an id from the data. With the index as key, inserting or reordering items shifts the "
        "keys, so state like an input value ends up on the wrong item.",
        "Keys are only there to silence the warning, a random key generated on each render is fine.",
    ),
    "fe-perf-01": (
        "LCP, largest contentful paint, measures loading; INP measures responsiveness to interactions and "
        "replaced FID; CLS measures visual stability from layout shifts. Google judges them at the 75th "
        "percentile of real user data, with LCP under 2.5 seconds being good.",
        "My Lighthouse score is the same as Core Web Vitals, so a 100 there means we pass.",
    ),
    "fe-a11y-01": (
        "Screen readers build on the accessibility tree, so native elements give the right role and name. A "
        "real button is focusable and works with the keyboard for free, unlike a div. Headings, landmarks such "
        "as nav, and labels let users navigate; and native HTML beats adding ARIA.",
        "Just add role=button to the div and it's fully accessible, role button makes it accessible.",
    ),
    "fe-sec-01": (
        "XSS is when an attacker gets malicious script to run in your page, through stored, reflected or "
        "DOM-based injection. Escape output for its context, avoid innerHTML and dangerouslySetInnerHTML, "
        "sanitize rich HTML with DOMPurify, and add a Content Security Policy as defence in depth.",
        "We use React, and React makes XSS impossible.",
    ),
    "fe-js-04": (
        "Every object has an internal link to a prototype object; when a property is missing, lookup walks the "
        "prototype chain. Methods live once on the prototype and are shared by all instances. ES classes are "
        "syntactic sugar over the same mechanism.",
        "ES classes copy methods into every instance, like in Java.",
    ),
    "fe-js-05": (
        "Typical leaks are event listeners and setInterval timers never removed, subscriptions without "
        "unsubscribe, detached DOM nodes still referenced, or a global cache that grows forever. I take heap "
        "snapshots in DevTools before and after repeating an action and follow the retainer path.",
        "JavaScript has garbage collection, so apps cannot leak memory.",
    ),
    "mo-life-01": (
        "On Android the activity goes through onCreate, onStart, onResume, then onPause, onStop and onDestroy; "
        "on iOS viewDidLoad, viewWillAppear and viewDidAppear. I start work when the screen becomes visible and "
        "stop it in the matching callback. Rotation recreates the activity, so state lives in a ViewModel.",
        "onDestroy is always called, so cleanup can wait until then.",
    ),
    "mo-conc-01": (
        "UIKit and the Android view system are not thread-safe, so views are touched only from the main thread, "
        "which also processes input and draws frames. Blocking it makes the app janky, and Android shows an ANR. "
        "Do the slow work on a background thread or a coroutine and switch back to the main thread.",
        "Network on the main thread is fine if the network is fast.",
    ),
    "mo-mem-01": (
        "ARC inserts retain and release calls at compile time and frees an object when its reference count "
        "reaches zero. Two objects holding strong references to each other form a retain cycle and leak. You "
        "break it with weak or unowned references, and find leaks with the memory graph debugger.",
        "ARC detects cycles and collects them like a garbage collector.",
    ),
    "mo-data-01": (
        "Small settings go in SharedPreferences or DataStore, UserDefaults on iOS. Structured data you query "
        "goes in SQLite via Room or Core Data. Large blobs are plain files, and secrets such as tokens belong in "
        "the Keychain or the Android Keystore.",
        "We store the token in UserDefaults, that's the simplest place.",
    ),
    "mo-net-01": (
        "Set sensible timeouts, retry idempotent requests with exponential back-off and jitter, show cached data "
        "with an offline banner, queue writes and send them when connectivity comes back, and keep payloads "
        "small. Test it with the network link conditioner.",
        "Check reachability first and then it's safe to make the request.",
    ),
    "mo-ui-01": (
        "The list only creates views for the visible rows and recycles them as you scroll, so binding has to be "
        "cheap and reset any old content. Image decoding happens off the main thread, and DiffUtil computes "
        "precise updates instead of reloading everything.",
        "I always call notifyDataSetChanged, it's the easiest way to refresh the list.",
    ),
    "mo-sec-01": (
        "On iOS in the Keychain; on Android encrypt it with a key from the Keystore, which is hardware-backed. "
        "Never in plain preferences or logs, since backups and rooted devices expose them. Keep access tokens "
        "short-lived, use a refresh token, and clear everything on logout.",
        "The sandbox makes it secure, the sandbox is enough to keep the token safe.",
    ),
    "mo-rel-01": (
        "A test pyramid: lots of unit tests for view models and business logic, integration tests for the "
        "repository and networking against a fake server, and a few Espresso or XCUITest tests for the critical "
        "flows. Inject dependencies so fakes replace the network, and run on a device matrix in CI.",
        "UI tests are enough, they cover everything the user does.",
    ),
    "mo-life-04": (
        "Both platforms restrict background execution to save battery. On Android use WorkManager with a network "
        "constraint and retries; on iOS a background URLSession for the upload or BGTaskScheduler. Make the "
        "upload idempotent and resumable in chunks.",
        "Just start a thread, it keeps running after the app goes to the background.",
    ),
    "mo-life-05": (
        "Measure first on a low-end device with a release build, using Macrobenchmark or Instruments. Defer SDK "
        "initialisation until it's needed, keep disk and network off the main thread at startup, add Baseline "
        "Profiles, and guard startup time with a benchmark in CI.",
        "Measure in debug, the debug build is fine for startup numbers.",
    ),
}


def _score(question: Question, track: str, text: str) -> AnswerScore:
    return score_screen_answer(scoring_request(question, text, track=track, difficulty=question.difficulty))


def _track(question_id: str) -> str:
    return {"be": "backend", "fe": "frontend", "mo": "mobile"}[question_id[:2]]


def _off_topic(question: Question) -> Question:
    """A question of another topic in the same track, picked deterministically."""
    track = KB.track_questions(_track(question.id))
    others = [q for q in track if q.topic != question.topic]
    return others[track.index(question) % len(others)]


def test_the_corpus_samples_ten_questions_of_every_topic_mix_per_track() -> None:
    per_track = {track: [qid for qid in CORPUS if _track(qid) == track] for track in KB.pack.tracks}
    assert all(len(ids) >= 10 for ids in per_track.values())
    for track, ids in per_track.items():
        assert {KB.question(qid).topic for qid in ids} == set(KB.topics(track))


@pytest.mark.parametrize("question_id", sorted(CORPUS))
def test_corpus_answers(question_id: str) -> None:
    question = KB.question(question_id)
    track = _track(question_id)
    paraphrase, misconception = CORPUS[question_id]
    good = _score(question, track, paraphrase)
    assert good.score >= 3.0, (good.score, good.missed)
    assert not good.misconceptions
    assert len(good.evidence) == len(good.matched)
    assert all(e.startswith('"') and e.endswith('"') for e in good.evidence)
    wrong = _score(question, track, misconception)
    assert wrong.misconceptions, misconception
    model = _score(question, track, question.canonical)
    assert model.score >= 4.0, model.missed
    other = _off_topic(question)
    off = _score(question, track, other.canonical)
    assert off.score <= 1.0 and off.matched == (), (other.id, off.evidence)


def test_an_answer_sharing_a_word_gets_no_credit() -> None:
    kafka = KB.question("be-msg-03")
    found = _score(kafka, "backend", "A B-tree keeps keys sorted so lookups are logarithmic")
    assert found.score == 1.0 and found.matched == () and found.evidence == ()


def test_every_model_answer_scores_against_its_own_question_only() -> None:
    """The whole bank: 180 model answers against their question and every question of another topic."""
    low = {q.id: s.score for track, q in QUESTIONS if (s := _score(q, track, q.canonical)).score < 4.0}
    assert low == {}
    credited: list[tuple[str, str, tuple[str, ...]]] = []
    for track, question in QUESTIONS:
        for _, other in QUESTIONS:
            if other.topic == question.topic:
                continue
            found = _score(question, track, other.canonical)
            if found.matched or found.misconceptions or found.score > 1.5:
                credited.append((question.id, other.id, found.evidence))
    assert credited == []


def test_off_topic_answers_across_tracks_stay_at_the_floor() -> None:
    """Cross-track pairing too: each sampled question against model answers from the other tracks."""
    foreign = cycle([q for track, q in QUESTIONS if track == "mobile"])
    for question_id in sorted(CORPUS):
        if _track(question_id) == "mobile":
            continue
        question = KB.question(question_id)
        found = _score(question, _track(question_id), next(foreign).canonical)
        assert found.score == 1.0 and found.matched == ()


def test_one_short_sentence_is_not_evidence_for_a_whole_question() -> None:
    """A sentence is evidence for the key points it states, not for every point it is loosely near.

    Found as an attacker: "the cache is invalidated when a write happens." was credited with all four
    points of the cache-aside question (the read path, staleness and races, TTLs) and scored 3.5.
    """
    from attrs import evolve

    from interview_engine.judging import judge_request, rules_for
    from interview_voice_screen.bank import knowledge_base
    from interview_voice_screen.scorer import scoring_request

    question = knowledge_base().question("be-cache-01")
    said = "The cache is invalidated when a write happens."
    request = scoring_request(question, said, track="backend", difficulty=question.difficulty)
    found = judge_request(request)
    credited = {p.point for p in found.key_points if p.credited}
    assert "invalidate or delete the entry on write" in credited
    assert not credited & {"stale data and races", "TTL bounds staleness"}
    assert found.score < 3.0
    loose = judge_request(request, evolve(rules_for("screen_answer"), assign_margin=1.0, shared_credit=2.0))
    assert sum(p.credited for p in loose.key_points) == 4  # what the bundled assignment prevents
