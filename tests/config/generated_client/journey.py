"""A patient's first day in the app, driven through the client generated from the schema.

Run as `python journey.py BASE_URL INVITE_CODE USERNAME PASSWORD`, after `mypy --strict`
(with no `Any` allowed in this module) has accepted it against the generated package:
every value below has the type the schema promises, read without casts. The last line
printed is a JSON summary the test checks against the database.
"""

from __future__ import annotations

import datetime
import json
import sys
import uuid
from http import HTTPStatus
from zoneinfo import ZoneInfo

from sciatica_client import AuthenticatedClient, Client
from sciatica_client.api.auth import (
    v1_auth_activate_create,
    v1_auth_token_create,
    v1_auth_token_refresh_create,
)
from sciatica_client.api.me import (
    v1_me_partial_update,
    v1_me_program_retrieve,
    v1_me_questionnaires_responses_create,
    v1_me_questionnaires_retrieve,
    v1_me_retrieve,
    v1_me_sessions_create,
    v1_me_sessions_list,
)
from sciatica_client.models import (
    Activated,
    ActivateRequest,
    AnswersRequest,
    AnswersRequestAnswers,
    Error,
    ExerciseDoneRequest,
    Login,
    LoginRequest,
    Me,
    MyProgram,
    MyQuestionnaires,
    PaginatedSessionList,
    PainExtent,
    PainResponse,
    PatchedMeRequest,
    QuestionnaireCode,
    QuestionnaireResponse,
    Refresh,
    RefreshRequest,
    Session,
    SessionLogRequest,
)
from signout import sign_out

NEW_REMINDER_TIMES = ["07:30", "19:15"]


def signed_in(base_url: str, access: str) -> AuthenticatedClient:
    # An answer the schema does not list raises instead of passing silently as None.
    return AuthenticatedClient(base_url=base_url, token=access, raise_on_unexpected_status=True)


def join(anonymous: Client, code: str, username: str, password: str) -> Login:
    """Join the clinic with the code from the invitation, then sign in."""
    activated = v1_auth_activate_create.sync(
        client=anonymous, body=ActivateRequest(code=code, username=username, password=password)
    )
    assert isinstance(activated, Activated), activated
    assert activated.username == username
    tokens = v1_auth_token_create.sync(
        client=anonymous, body=LoginRequest(username=username, password=password)
    )
    assert isinstance(tokens, Login), tokens
    return tokens


def profile(api: AuthenticatedClient) -> Me:
    """Every field a response always carries is there, typed."""
    me = v1_me_retrieve.sync(client=api)
    assert isinstance(me, Me), me
    assert me.primary_therapist_name is not None
    assert not me.on_medical_hold
    assert not me.on_referral_hold
    print(f"{me.first_name} {me.last_name} of {me.clinic_name}, {me.reminder_times}")
    return me


def log_todays_exercise(api: AuthenticatedClient, zone: ZoneInfo) -> uuid.UUID:
    """Today's plan, then an exercise logged with the pain before and after, as the
    phone makes it, and once more later; the history lists both. Returns the first
    session's client id."""
    program = v1_me_program_retrieve.sync(client=api)
    assert isinstance(program, MyProgram), program
    today = program.today
    assert today.is_exercise_day, today
    assert today.date == datetime.datetime.now(zone).date()
    first = today.exercises[0]
    print(f"{program.name}, phase {today.phase_name}: {first.name} ({first.dosage_text})")

    client_id = uuid.uuid4()
    logged = v1_me_sessions_create.sync(
        client=api,
        body=SessionLogRequest(
            client_id=client_id,
            performed_at=datetime.datetime.now(zone) - datetime.timedelta(minutes=20),
            pain_extent_before=PainExtent.CALF,
            pain_extent=PainExtent.THIGH,
            back_pain_before=2,
            back_pain_after=2,
            leg_pain_before=6,
            leg_pain_after=4,
            exercises=[
                ExerciseDoneRequest(
                    prescribed_exercise=first.id,
                    sets=first.sets,
                    reps=first.reps,
                    minutes=first.minutes,
                    leg_pain_before=6,
                    leg_pain_after=4,
                )
            ],
        ),
    )
    assert isinstance(logged, Session), logged
    assert logged.client_id == client_id
    assert logged.prescription == program.id
    assert logged.pain_extent is PainExtent.THIGH
    assert logged.pain_response is PainResponse.STEADY
    assert [item.prescribed_exercise for item in logged.items] == [first.id]

    # Later, the same exercise again, the phone not asking how far the pain reached
    # before: the answer and the history must still read as the schema says.
    later = v1_me_sessions_create.sync(
        client=api,
        body=SessionLogRequest(
            client_id=uuid.uuid4(),
            performed_at=datetime.datetime.now(zone) - datetime.timedelta(minutes=5),
            pain_extent=PainExtent.THIGH,
            leg_pain_before=4,
            leg_pain_after=4,
            exercises=[
                ExerciseDoneRequest(
                    prescribed_exercise=first.id, leg_pain_before=4, leg_pain_after=4
                )
            ],
        ),
    )
    assert isinstance(later, Session), later
    assert later.pain_extent is PainExtent.THIGH

    history = v1_me_sessions_list.sync(client=api)
    assert isinstance(history, PaginatedSessionList), history
    assert [session.id for session in history.results] == [later.id, logged.id]
    assert history.next_ is None
    return client_id


def move_reminders(api: AuthenticatedClient, me: Me) -> Me:
    """New reminder times: the answer is the whole profile again."""
    changed = v1_me_partial_update.sync(
        client=api, body=PatchedMeRequest(reminder_times=NEW_REMINDER_TIMES)
    )
    assert isinstance(changed, Me), changed
    assert changed.reminder_times == NEW_REMINDER_TIMES
    assert changed.time_zone == me.time_zone
    return changed


def rate_pain(api: AuthenticatedClient) -> QuestionnaireResponse:
    """The pain rating due since the evaluation, answered with one of its own options:
    the code read from the due list is what the answer's path takes."""
    due = v1_me_questionnaires_retrieve.sync(client=api)
    assert isinstance(due, MyQuestionnaires), due
    nprs = next(q for q in due.questionnaires if q.code is QuestionnaireCode.NPRS)
    (item,) = nprs.items
    choice = item.options[5]
    answers = AnswersRequestAnswers()
    answers[item.key] = choice.value
    answered = v1_me_questionnaires_responses_create.sync(
        nprs.code, client=api, body=AnswersRequest(answers=answers)
    )
    assert isinstance(answered, QuestionnaireResponse), answered
    assert answered.code is nprs.code
    assert answered.occasion is nprs.occasion
    assert answered.score == choice.value
    assert answered.band is None
    return answered


def rotate_and_sign_out(base_url: str, anonymous: Client, tokens: Login, me: Me) -> None:
    """The refresh token rotates once: the new pair works and the old refresh token is
    refused in the error envelope. Signing out ends the new login, its access token
    included."""
    refreshed = v1_auth_token_refresh_create.sync(
        client=anonymous, body=RefreshRequest(refresh=tokens.refresh)
    )
    assert isinstance(refreshed, Refresh), refreshed
    api = signed_in(base_url, refreshed.access)
    again = v1_me_retrieve.sync(client=api)
    assert isinstance(again, Me), again
    assert again.id == me.id

    reused = v1_auth_token_refresh_create.sync_detailed(
        client=anonymous, body=RefreshRequest(refresh=tokens.refresh)
    )
    assert reused.status_code == HTTPStatus.UNAUTHORIZED
    refusal = reused.parsed
    assert isinstance(refusal, Error), refusal
    # Read into plain types, as an app shows and logs them: every envelope field is
    # always there, so none of them may be Unset.
    status: int = refusal.status
    error_code: str = refusal.code
    message: str = refusal.detail
    request_id: str = refusal.request_id
    assert status == HTTPStatus.UNAUTHORIZED
    assert error_code == "token_not_valid", refusal
    assert message
    assert request_id == reused.headers["X-Request-ID"]

    assert sign_out(api, refreshed.refresh) == HTTPStatus.NO_CONTENT
    after = v1_auth_token_refresh_create.sync_detailed(
        client=anonymous, body=RefreshRequest(refresh=refreshed.refresh)
    )
    assert after.status_code == HTTPStatus.UNAUTHORIZED
    # The access token of the ended login stops working too, before it expires.
    ended = v1_me_retrieve.sync_detailed(client=api)
    assert ended.status_code == HTTPStatus.UNAUTHORIZED, ended.parsed
    assert isinstance(ended.parsed, Error), ended.parsed


def main(base_url: str, code: str, username: str, password: str) -> None:
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)
    tokens = join(anonymous, code, username, password)
    api = signed_in(base_url, tokens.access)
    me = profile(api)
    session = log_todays_exercise(api, ZoneInfo(me.time_zone))
    changed = move_reminders(api, me)
    answered = rate_pain(api)
    rotate_and_sign_out(base_url, anonymous, tokens, me)
    summary = {
        "patient": str(me.id),
        "session": str(session),
        "reminder_times": ",".join(changed.reminder_times),
        "nprs": str(answered.id),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main(*sys.argv[1:5])
