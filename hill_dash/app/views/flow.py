"""A participant's way through a study as plain functions over the store: which step comes next, and what each
step saves.

The steps are consent, demographics, then per scenario (in the participant's counterbalanced order) the latent
editor followed by the study's questionnaires, then a closing page. The step the participant is on lives only in
the store (`set_step`), every answer is saved as it is given, so a refresh, a closed tab or a server restart resumes
exactly there. Functions that act for the browser take the `shown` step the page displayed: a stale page (another
tab moved on) changes nothing and is told to show the current step instead.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import questionnaires
from hill_dash.app.views.questionnaire import (OTHER, answers_for_validation, pair_key, parse_pair_key,
                                               problem_messages)
from hill_dash.store import NotFound, Participant, Store
from hill_dash.store.answers import MAX_ANSWER_CHARS

CONSENT, DEMOGRAPHICS, SCENARIO, QUESTIONNAIRE, DONE = "consent", "demographics", "scenario", "questionnaire", "done"
CONSENT_INSTRUMENT, CONSENT_ITEM = "consent", "agree"
DEMOGRAPHICS_INSTRUMENT = "demographics"
INVALID_LINK = "This link is not valid; ask the researcher for a new one."
CLOSED_LINK = "This link has been closed by the researcher. If you want to continue, ask them for a new one."
STALE_PAGE = "This page is out of date (the study moved on in another window): reload it to continue."
CONSENT_NEEDED = "Please tick “I agree” to take part; if you do not want to take part, you can close this page."
_STEP_KEYS = ("page", "index", "form")


class FlowError(ValueError):
    """Something the participant cannot do here; the message is written for them."""


def participant_link(token: str, base_url: str = "") -> str:
    """The participant's link: `/p/<token>`, absolute when `base_url` (e.g. http://host:8050/) is given."""
    return f"{base_url.rstrip('/')}/p/{token}"


def find_participant(store: Store, token: str | None) -> Participant | None:
    """The participant a link token belongs to, or None for a token that was never issued or has been reset."""
    if not token:
        return None
    try:
        return store.participant_by_token(token)
    except NotFound:
        return None


def require(store: Store, token: str | None) -> Participant:
    """The participant of an active link; FlowError for an unknown token or a participant marked dropped."""
    participant = find_participant(store, token)
    if participant is None:
        raise FlowError(INVALID_LINK)
    if participant.status == "dropped":
        raise FlowError(CLOSED_LINK)
    return participant


def plan(store: Store, participant: Participant) -> list[dict[str, Any]]:
    """Every step of this participant, in order."""
    study = store.get_study(participant.study_id)
    steps: list[dict[str, Any]] = [{"page": CONSENT}, {"page": DEMOGRAPHICS, "instrument": DEMOGRAPHICS_INSTRUMENT}]
    for index, scenario in enumerate(store.participant_scenarios(participant.id)):
        where = {"index": index, "study_scenario_id": scenario.id, "scenario": scenario.scenario}
        steps.append({"page": SCENARIO, **where})
        steps += [{"page": QUESTIONNAIRE, **where, "instrument": name, "form": form}
                  for form, name in enumerate(study.instruments)]
    steps.append({"page": DONE})
    return steps


def same_step(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """True when two step dicts name the same place in the flow."""
    if not a or not b:
        return False
    return all(a.get(k) == b.get(k) for k in _STEP_KEYS)


def current_step(store: Store, participant: Participant) -> dict[str, Any]:
    """Where the participant is (consent before they start)."""
    step = dict(store.get_step(participant.id))
    return step if step.get("page") else {"page": CONSENT}


def advance(store: Store, participant: Participant, shown: dict[str, Any]) -> dict[str, Any]:
    """Move from `shown` to the next step and save it; returns the step the participant is now on.

    Only the step the participant is on can be left, so a double click or a stale tab never skips a step.
    """
    now = current_step(store, participant)
    if not same_step(now, shown):
        return now
    steps = plan(store, participant)
    position = next((i for i, step in enumerate(steps) if same_step(step, now)), None)
    if position is None or position + 1 >= len(steps):
        return now
    following = steps[position + 1]
    store.set_step(participant.id, following)
    if following["page"] == DONE:
        store.set_status(participant.id, "finished")
    return following


def give_consent(store: Store, token: str, shown: dict[str, Any], agreed: bool) -> tuple[dict[str, Any], list[str]]:
    """Record consent (with the time it was given) and move on; without the tick, stay and say why."""
    participant = require(store, token)
    now = current_step(store, participant)
    if not same_step(now, shown) or now["page"] != CONSENT:
        return now, [STALE_PAGE]
    if not agreed:
        return now, [CONSENT_NEEDED]
    store.save_answer(participant.id, CONSENT_INSTRUMENT, CONSENT_ITEM, True)
    return advance(store, participant, now), []


def _form_step(store: Store, participant: Participant, instrument: str,
               shown: dict[str, Any] | None) -> dict[str, Any]:
    step = current_step(store, participant)
    if step["page"] not in (DEMOGRAPHICS, QUESTIONNAIRE) or step.get("instrument") != instrument:
        raise FlowError(STALE_PAGE)
    if shown is not None and not same_step(step, shown):
        raise FlowError(STALE_PAGE)  # e.g. an old tab with the same questionnaire of an earlier scenario
    return step


def save_item(store: Store, token: str, instrument_id: str, key: str, value: Any,
              shown: dict[str, Any] | None = None) -> str:
    """Save one answer the moment it is given; returns the status line shown under the question.

    The answer goes to the instrument of the step the participant is on (and that step's scenario); with `shown`
    (the step the page displays) only if that is still the step. A value off the scale is saved as given (what the
    page shows is what is stored) and flagged, and `Next` refuses it.
    """
    participant = require(store, token)
    if len(repr(value)) > MAX_ANSWER_CHARS:
        raise FlowError(f"an answer may be at most {MAX_ANSWER_CHARS} characters long; please shorten it")
    step = _form_step(store, participant, instrument_id, shown)
    instrument = questionnaires.load(instrument_id)
    pair = parse_pair_key(key)
    if pair is not None:
        if instrument.pairwise is None or pair not in instrument.pairwise.pairs or value not in (*pair, None):
            raise FlowError(f"{key!r} is not one of this questionnaire's comparisons")
        problem = None
    else:
        try:
            item = instrument.item(key)
        except KeyError as exc:
            raise FlowError(f"this questionnaire has no question {key!r}") from exc
        if value == OTHER:
            return "Describe it in the box below."
        value = None if isinstance(value, str) and not value.strip() else value
        problem = item.scale.check(value) if value is not None else None
    store.save_answer(participant.id, instrument_id, key, value, study_scenario_id=step.get("study_scenario_id"))
    return f"Saved, but please check: {problem}." if problem else "Saved."


def save_other(store: Store, token: str, instrument_id: str, key: str, text: str | None,
               shown: dict[str, Any] | None = None) -> str:
    """Save a self-described answer to a choice question (an empty box clears the answer)."""
    return save_item(store, token, instrument_id, key, (text or "").strip() or None, shown)


def stored_answers(store: Store, participant_id: int, instrument: str,
                   study_scenario_id: int | None) -> dict[str, tuple[Any, bool]]:
    """{item key: (value, untouched)} of the current answers to one instrument at one step."""
    return {a.item: (a.value, a.untouched)
            for a in store.latest_answers(participant_id, instrument, study_scenario_id)}


def form_values(store: Store, participant_id: int, step: dict[str, Any]) -> dict[str, Any]:
    """{item key: value} to fill the form of a questionnaire step again."""
    return {key: value for key, (value, _) in
            stored_answers(store, participant_id, step["instrument"], step.get("study_scenario_id")).items()}


def _reconcile(store: Store, participant_id: int, instrument: questionnaires.Instrument, scenario_id: int | None,
               stored: dict[str, tuple[Any, bool]], shown: Mapping[str, Any]) -> None:
    """Save what the page shows where the store differs: an answer whose own save was still under way when Next
    was clicked (a box left by that click, a slider's last key step) counts as given. A slider shows no value
    until it is answered, so any value it shows (its middle included) is an answer."""
    pairs = instrument.pairwise.pairs if instrument.pairwise is not None else ()
    known = {*instrument.item_ids, *(pair_key(a, b) for a, b in pairs)}
    for key, value in shown.items():
        if key not in known or value == OTHER:
            continue
        value = None if isinstance(value, str) and not value.strip() else value
        current = stored.get(key)
        if current is None and value is None:
            continue
        if current is not None and current[0] == value:
            continue
        store.save_answer(participant_id, instrument.id, key, value, study_scenario_id=scenario_id)
        stored[key] = (value, False)


def submit_form(store: Store, token: str, shown: dict[str, Any],
                shown_answers: Mapping[str, Any] | None = None) -> tuple[dict[str, Any], list[str]]:
    """`Next` on a questionnaire. The answers the page shows (`shown_answers`, item key -> value) are saved where
    the store lacks them, sliders never answered are recorded as untouched (no value, `untouched=True`), then the
    answers are validated; problems keep the participant on the page (returned as messages, each naming its
    question), else the flow moves on. A required slider left untouched is such a problem.
    """
    participant = require(store, token)
    now = current_step(store, participant)
    if not same_step(now, shown) or now["page"] not in (DEMOGRAPHICS, QUESTIONNAIRE):
        return now, [STALE_PAGE]
    too_long = [key for key, value in (shown_answers or {}).items() if len(repr(value)) > MAX_ANSWER_CHARS]
    if too_long:
        return now, [f"An answer may be at most {MAX_ANSWER_CHARS} characters long; please shorten it."]
    instrument = questionnaires.load(now["instrument"])
    scenario_id = now.get("study_scenario_id")
    stored = stored_answers(store, participant.id, instrument.id, scenario_id)
    _reconcile(store, participant.id, instrument, scenario_id, stored, shown_answers or {})
    for item in instrument.items:
        if item.scale.slider and item.id not in stored:
            store.save_answer(participant.id, instrument.id, item.id, None, study_scenario_id=scenario_id,
                              untouched=True)
            stored[item.id] = (None, True)
    answers, pairs = answers_for_validation(instrument, stored)
    try:
        questionnaires.validate(instrument, answers, pairs)
    except questionnaires.ValidationError as exc:
        return now, problem_messages(instrument, exc)
    return advance(store, participant, now), []


def ready_run(store: Store, participant_id: int, study_scenario_id: int) -> int | None:
    """The participant's run of a study scenario once it has a 2D view to show, else None."""
    for run in reversed(store.list_runs(participant_id=participant_id, study_scenario_id=study_scenario_id)):
        if run.status not in ("failed", "cancelled") and store.list_snapshots(run.id):
            return run.id
    return None


@contextmanager
def _run_lock(store: Store, participant_id: int, study_scenario_id: int) -> Iterator[None]:
    # Two windows on one link may both ask for the run; the lock lets only one of them create it.
    path = store.files.absolute(f"locks/participant-{participant_id}-scenario-{study_scenario_id}.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_run(store: Store, token: str, shown: dict[str, Any],
               progress: Callable[[dict[str, Any]], None] | None = None) -> int:
    """The run of the scenario step the participant is on, created the first time (long work: call it from a
    background job). It starts from the study scenario's pretrained checkpoint, or the scenario's shared one."""
    from hill_dash.jobs import rounds

    participant = require(store, token)
    now = current_step(store, participant)
    if not same_step(now, shown) or now["page"] != SCENARIO:
        raise FlowError(STALE_PAGE)
    scenario = store.get_study_scenario(now["study_scenario_id"])
    study = store.get_study(scenario.study_id)
    with _run_lock(store, participant.id, scenario.id):
        existing = ready_run(store, participant.id, scenario.id)
        if existing is not None:
            return existing
        for broken in store.list_runs(participant_id=participant.id, study_scenario_id=scenario.id):
            if broken.status not in ("failed", "cancelled"):  # created, but its start never finished
                store.update_run(broken.id, status="failed")
        return rounds.start_run(store, scenario.scenario, participant_id=participant.id,
                                study_scenario_id=scenario.id, seed=participant.id, alpha=study.alpha,
                                lam=study.lam, checkpoint=scenario.pretrained_checkpoint,
                                options=dict(scenario.options) or None, progress=progress)


def finish_scenario(store: Store, token: str, index: int) -> dict[str, Any]:
    """Leave scenario `index` for its questionnaires once its run has trained to the end; returns the current step."""
    participant = require(store, token)
    now = current_step(store, participant)
    if now["page"] != SCENARIO or now.get("index") != index:
        return now
    run_id = ready_run(store, participant.id, now["study_scenario_id"])
    if run_id is None or store.get_run(run_id).status != "finished":
        return now
    return advance(store, participant, now)


def step_label(step: dict[str, Any]) -> str:
    """Where a participant is, in a few words for the researcher's overview."""
    page = step.get("page")
    if not page:
        return "not started"
    if page == SCENARIO:
        return f"scenario {step['index'] + 1} ({step.get('scenario', '?')})"
    if page == QUESTIONNAIRE:
        return f"{step.get('instrument')} after scenario {step['index'] + 1}"
    return "finished" if page == DONE else page
