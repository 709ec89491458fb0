"""One actor, one permission check: who is calling, and what they may do with a run or a study.

Every page, callback and route first resolves its caller on the server (`current_actor`): the researcher of the
login session, the participant of a link token, and the browser's own session key. It then reaches runs and
studies only through `run_for` and `study_for`, which refuse with a message (`Refused`) anything the caller may not
do. Ids that come from the browser are only lookup keys.

Runs:
- a participant's run: the participant may view it and steer it (edits, undo, training) while taking part (not
  dropped, not finished); α/λ and pause/cancel only when the study allows it (settings `participant_weights`,
  `participant_pause`; default no). The researchers of the study may view it.
- a study run without a participant (a baseline): anyone may view it, only the study's researchers change it.
- a free-editor run: the browser session that started it does everything; others may not even view it. A free run
  started outside the app (no owner) can be viewed by anyone and changed by nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dash.exceptions import PreventUpdate

from hill_dash.app import auth, cookies
from hill_dash.app.context import get_store
from hill_dash.store import NotFound, Participant, Researcher, Run, Store, Study
from hill_dash.store._base import MAX_ID

ACTIONS = ("view", "edit", "weights", "pause")
CHANGING = ("edit", "weights", "pause")
DESIGN_SETTINGS = {"weights": "participant_weights", "pause": "participant_pause"}
WHAT = {"view": "view", "edit": "change", "weights": "change α or λ of", "pause": "pause or cancel"}
CLOSED = {"dropped": "this participant link has been closed by the researcher",
          "finished": "this participant has finished the study"}


class Refused(PreventUpdate):
    """The caller may not do this; the message says what was refused and why. A callback that does not show the
    message sends nothing (it is a PreventUpdate), so a refused request never changes the page either."""


@dataclass(frozen=True)
class Actor:
    """Who is calling: any of a logged-in researcher, the participant of a link token, and the browser session."""

    researcher: Researcher | None = None
    participant: Participant | None = None
    browser_key: str | None = None


def parse_id(value: Any, what: str) -> int:
    """An id from the browser as an int (1 .. 2**63-1), or Refused saying what was wrong."""
    if isinstance(value, bool):
        raise Refused(f"{what} id must be a whole number, got {value!r}")
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 19:
        value = int(value.strip())
    if not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise Refused(f"{what} id must be a whole number from 1 to {MAX_ID}, got {str(value)[:40]!r}")
    return value


def current_actor(token: Any = None, store: Store | None = None, create_browser: bool = False) -> Actor:
    """The caller of this request (or of the request that started this background job). `token` is the
    participant link token the page holds, if any; an unknown token names no participant."""
    store = store or get_store()
    participant = None
    if isinstance(token, str) and 0 < len(token) <= 200:
        try:
            participant = store.participant_by_token(token)
        except NotFound:
            participant = None
    return Actor(researcher=auth.current_researcher(store), participant=participant,
                 browser_key=cookies.browser_key(create=create_browser))


def _participant_may(store: Store, actor: Actor, run: Run, action: str) -> None:
    participant = actor.participant
    if participant is None or participant.id != run.participant_id:
        raise Refused(f"run {run.id} belongs to a participant: open it from that participant's own link")
    if action == "view":
        return
    if participant.status in CLOSED:
        raise Refused(f"{CLOSED[participant.status]}; nothing more can be changed")
    setting = DESIGN_SETTINGS.get(action)
    if setting and not store.get_study(participant.study_id).settings.get(setting, False):
        raise Refused(f"this study's design does not let participants {WHAT[action]} the training")


def _study_researcher(store: Store, actor: Actor, study_id: int | None) -> bool:
    return (actor.researcher is not None and study_id is not None
            and store.may_open_study(actor.researcher.id, study_id))


def check_run(actor: Actor, run: Run, action: str = "view", store: Store | None = None) -> Run:
    """`run` if `actor` may do `action` ("view", "edit", "weights", "pause") with it, else Refused."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; use one of {ACTIONS}")
    store = store or get_store()
    if run.participant_id is not None:
        if action == "view" and _study_researcher(store, actor, store.run_study_id(run.id)):
            return run
        _participant_may(store, actor, run, action)
        return run
    if run.study_scenario_id is not None:
        if action == "view" or _study_researcher(store, actor, store.run_study_id(run.id)):
            return run
        raise Refused(f"run {run.id} is a baseline of a study: only that study's researchers may {WHAT[action]} it")
    if run.owner_key is None:
        if action == "view":
            return run
        raise Refused(f"run {run.id} was started outside this app; it can be viewed here but not changed")
    if actor.browser_key is not None and actor.browser_key == run.owner_key:
        return run
    raise Refused(f"run {run.id} belongs to the browser that started it; start your own run at /editor")


def run_for(actor: Actor, run_id: Any, action: str = "view", store: Store | None = None) -> Run:
    """The run with this id if `actor` may do `action` with it; Refused for a bad id, a missing run or no right
    (a run the caller may not view is reported as missing)."""
    store = store or get_store()
    ident = parse_id(run_id, "run")
    try:
        run = store.get_run(ident)
    except NotFound:
        raise Refused(f"there is no run {ident}; start one at /editor") from None
    try:
        return check_run(actor, run, action, store)
    except Refused:
        if action == "view" or not _viewable(actor, run, store):
            raise Refused(f"there is no run {ident} you may open; start one at /editor") from None
        raise


def _viewable(actor: Actor, run: Run, store: Store) -> bool:
    try:
        check_run(actor, run, "view", store)
    except Refused:
        return False
    return True


def study_for(actor: Actor, study_id: Any, store: Store | None = None) -> Study:
    """The study if the actor is a researcher who may open it; Refused otherwise (as if it did not exist)."""
    store = store or get_store()
    ident = parse_id(study_id, "study")
    if actor.researcher is None:
        raise Refused(auth.REFUSED)
    try:
        return store.study_of(actor.researcher.id, ident)
    except NotFound as exc:
        raise Refused(str(exc)) from None


def researcher_study(study_id: Any, store: Store | None = None) -> Study:
    """For researcher callbacks and routes: the study of the logged-in researcher, or Refused."""
    store = store or get_store()
    return study_for(Actor(researcher=auth.current_researcher(store)), study_id, store)


def _researcher(store: Store) -> Researcher:
    researcher = auth.current_researcher(store)
    if researcher is None:
        raise Refused(auth.REFUSED)
    return researcher


def researcher_recording(recording_id: Any, store: Store | None = None) -> int:
    """The id of a recording of one of the logged-in researcher's studies; Refused otherwise."""
    store = store or get_store()
    researcher = _researcher(store)
    ident = parse_id(recording_id, "recording")
    try:
        study_id = store.recording_study_id(ident)
    except NotFound:
        study_id = -1
    if study_id is None or (study_id != -1 and store.may_open_study(researcher.id, study_id)):
        return ident
    raise Refused(f"there is no recording {ident} among your studies' recordings")


def researcher_transcript(transcript_id: Any, store: Store | None = None) -> int:
    """The id of a transcript of one of the logged-in researcher's studies' recordings; Refused otherwise."""
    store = store or get_store()
    ident = parse_id(transcript_id, "transcript")
    try:
        recording_id = store.get_transcript(ident).recording_id
    except NotFound:
        raise Refused(f"there is no transcript {ident}; open one from the recordings page") from None
    try:
        researcher_recording(recording_id, store)
    except Refused as exc:
        if auth.current_researcher(store) is None:
            raise
        raise Refused(f"there is no transcript {ident} among your studies' recordings") from exc
    return ident
