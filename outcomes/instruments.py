"""The four questionnaires as data: items, their options, and how answers are checked
and scored (the arithmetic is in `outcomes.scoring`).

The wording is the project's own paraphrase of each published instrument, faithful to
the meaning of every statement and option and in the published order, so the published
scoring applies. A clinic that needs the licensed wording (ODI v2.1a from the Mapi
Research Trust, the STarT Back tool from Keele University, the RMDQ from its authors)
replaces the text here; the scoring does not change.

Each instrument declares the version of its wording and the language it is written in;
every response records both, and the app is always served that language, whatever the
phone's: a validated instrument is never translated on the fly. The versions name the
published instrument the wording follows and the edition of the project's paraphrase;
a clinic that loads the licensed wording (or a validated translation) gives it its own
version, so scores given in different wordings can be told apart.

Answers travel as {item key: option value}; a missing key or null is "unanswered".
Option values are whole numbers; for yes/no and agree/disagree items 1 is yes/agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from . import scoring


@dataclass(frozen=True)
class Option:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    options: tuple[Option, ...]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(option.value for option in self.options)


class AnswersInvalidError(ValidationError):
    """Messages per item key (`message_dict`), for the app to show next to each item."""


class UnknownQuestionnaireError(LookupError):
    """No instrument has this code."""


@dataclass(frozen=True)
class Instrument:
    code: str
    version: str
    title: str
    instructions: str
    items: tuple[Item, ...]
    max_missing: int
    # Cleaned answers (item values in order, None when unanswered) -> a scoring result.
    scorer: Callable[[list[int | None]], scoring.Scored]
    # The language its text is written in: the only one it is served in.
    language: str = "en"

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items if item.key == key), None)

    def clean(self, answers: Mapping[str, Any]) -> dict[str, int | None]:
        """Check every answer; {item key: value or None} in item order, or
        `AnswersInvalidError` with a message for each item that is wrong."""
        errors: dict[str, list[str]] = {}
        if not isinstance(answers, Mapping):
            raise AnswersInvalidError("Answers are an object of item keys and option values.")
        keys = {item.key for item in self.items}
        for key in answers:
            if key not in keys:
                errors[str(key)] = [f"Not an item of the {self.title}."]
        cleaned: dict[str, int | None] = {}
        for item in self.items:
            value = answers.get(item.key)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value not in item.values
            ):
                errors[item.key] = [_choose_message(item)]
                value = None
            cleaned[item.key] = value
        unanswered = [key for key, value in cleaned.items() if value is None and key not in errors]
        if len(unanswered) > self.max_missing:
            for key in unanswered:
                errors[key] = [self._missing_message()]
        if errors:
            raise AnswersInvalidError(errors)
        return cleaned

    def _missing_message(self) -> str:
        if self.max_missing == 0:
            return "This item needs an answer."
        noun = "sections" if self.code == "odi" else "items"
        return (
            f"This needs an answer: at most {self.max_missing} of the {len(self.items)} "
            f"{noun} may be left out."
        )

    def score(self, cleaned: Mapping[str, int | None]) -> scoring.Scored:
        """Score answers that `clean` accepted."""
        return self.scorer([cleaned.get(item.key) for item in self.items])


# Beyond this many options (ODI statements, the 0-10 scale) a message is too long to
# list them all and gives their range instead.
LISTED_OPTIONS = 5
# Each ODI section has six statements, scored 0 to 5.
ODI_STATEMENTS = 6


def _choose_message(item: Item) -> str:
    if len(item.options) > LISTED_OPTIONS:
        low, high = min(item.values), max(item.values)
        return f"Choose one of the options: a whole number from {low} to {high}."
    return "Choose one of: " + ", ".join(f"{o.value} ({o.label})" for o in item.options) + "."


def _options(*labels: str, start: int = 0) -> tuple[Option, ...]:
    return tuple(Option(value, label) for value, label in enumerate(labels, start=start))


def _section(key: str, text: str, *statements: str) -> Item:
    if len(statements) != ODI_STATEMENTS:
        raise ValueError(f"ODI section {key} needs {ODI_STATEMENTS} statements.")
    return Item(key, text, _options(*statements))


YES_NO = (Option(1, "Yes"), Option(0, "No"))
AGREE_DISAGREE = (Option(1, "Agree"), Option(0, "Disagree"))


# --- Oswestry Disability Index v2.1a ---------------------------------------------------

ODI = Instrument(
    code="odi",
    version="ODI 2.1a (paraphrase 1)",
    title="Oswestry Disability Index",
    instructions=(
        "These questions ask how your back or leg pain affects your everyday life. In "
        "each section, choose the one statement that best describes you today. If two "
        "seem to fit, choose the one that describes the greater difficulty. You may "
        "skip a section that does not apply to you."
    ),
    max_missing=scoring.ODI_MAX_MISSING,
    scorer=scoring.score_odi,
    items=(
        _section(
            "pain_intensity",
            "Pain intensity",
            "I have no pain right now.",
            "My pain is very mild right now.",
            "My pain is moderate right now.",
            "My pain is fairly severe right now.",
            "My pain is very severe right now.",
            "My pain is the worst I can imagine right now.",
        ),
        _section(
            "personal_care",
            "Personal care (washing, dressing, etc.)",
            "I look after myself normally and it does not add to my pain.",
            "I look after myself normally, but it adds to my pain.",
            "Looking after myself hurts, and I am slow and careful about it.",
            "I need some help, but I manage most of my personal care myself.",
            "I need help every day with most of my personal care.",
            "I do not get dressed, washing is hard, and I stay in bed.",
        ),
        _section(
            "lifting",
            "Lifting",
            "I can lift heavy things without extra pain.",
            "I can lift heavy things, but it adds to my pain.",
            "Pain stops me lifting heavy things off the floor, but I manage if they are "
            "placed conveniently, for example on a table.",
            "Pain stops me lifting heavy things, but I manage light to medium things if "
            "they are placed conveniently.",
            "I can lift only very light things.",
            "I cannot lift or carry anything.",
        ),
        _section(
            "walking",
            "Walking",
            "Pain does not stop me walking any distance.",
            "Pain stops me walking more than 1 mile.",
            "Pain stops me walking more than a quarter of a mile.",
            "Pain stops me walking more than 100 yards.",
            "I can walk only with a stick or crutches.",
            "I am in bed most of the time.",
        ),
        _section(
            "sitting",
            "Sitting",
            "I can sit in any chair for as long as I like.",
            "I can sit for as long as I like only in my favourite chair.",
            "Pain stops me sitting for more than 1 hour.",
            "Pain stops me sitting for more than 30 minutes.",
            "Pain stops me sitting for more than 10 minutes.",
            "Pain stops me sitting at all.",
        ),
        _section(
            "standing",
            "Standing",
            "I can stand for as long as I like without extra pain.",
            "I can stand for as long as I like, but it adds to my pain.",
            "Pain stops me standing for more than 1 hour.",
            "Pain stops me standing for more than 30 minutes.",
            "Pain stops me standing for more than 10 minutes.",
            "Pain stops me standing at all.",
        ),
        _section(
            "sleeping",
            "Sleeping",
            "Pain never disturbs my sleep.",
            "Pain disturbs my sleep now and then.",
            "Because of pain I sleep less than 6 hours.",
            "Because of pain I sleep less than 4 hours.",
            "Because of pain I sleep less than 2 hours.",
            "Pain stops me sleeping at all.",
        ),
        _section(
            "sex_life",
            "Sex life (if it applies to you)",
            "My sex life is normal and does not add to my pain.",
            "My sex life is normal, but it adds somewhat to my pain.",
            "My sex life is nearly normal, but very painful.",
            "Pain restricts my sex life severely.",
            "Because of pain I have almost no sex life.",
            "Pain prevents any sex life.",
        ),
        _section(
            "social_life",
            "Social life",
            "My social life is normal and does not add to my pain.",
            "My social life is normal, but it makes my pain worse.",
            "Pain has no real effect on my social life, apart from limiting more energetic "
            "interests such as sport.",
            "Pain has restricted my social life, and I go out less often.",
            "Pain has restricted my social life to my home.",
            "Because of pain I have no social life.",
        ),
        _section(
            "travelling",
            "Travelling",
            "I can travel anywhere without pain.",
            "I can travel anywhere, but it adds to my pain.",
            "My pain is bad, but I manage journeys of over 2 hours.",
            "Pain limits me to journeys of under 1 hour.",
            "Pain limits me to short, necessary journeys of under 30 minutes.",
            "Pain stops me travelling except to get treatment.",
        ),
    ),
)


# --- Numeric Pain Rating Scale ---------------------------------------------------------

NPRS = Instrument(
    code="nprs",
    version="NPRS 0-10 (paraphrase 1)",
    title="Numeric Pain Rating Scale",
    instructions=(
        "Choose the number that best describes your back or leg pain right now, where 0 "
        "is no pain and 10 is the worst pain you can imagine."
    ),
    max_missing=0,
    scorer=lambda values: scoring.score_nprs(values[0]),
    items=(
        Item(
            "pain",
            "How much pain do you have right now?",
            tuple(
                Option(
                    n,
                    {0: "0 - no pain", 10: "10 - worst pain imaginable"}.get(n, str(n)),
                )
                for n in range(scoring.NPRS_MAX + 1)
            ),
        ),
    ),
)


# --- Roland-Morris Disability Questionnaire --------------------------------------------

_RMDQ_STATEMENTS = (
    "I stay at home most of the time because of my back.",
    "I keep changing position to try to get my back comfortable.",
    "Because of my back, I walk more slowly than usual.",
    "Because of my back, I am not doing any of the jobs I usually do around the house.",
    "Because of my back, I use a handrail to go upstairs.",
    "Because of my back, I lie down to rest more often.",
    "Because of my back, I have to hold on to something to get up from an armchair.",
    "Because of my back, I try to get other people to do things for me.",
    "Because of my back, I get dressed more slowly than usual.",
    "Because of my back, I stand only for short periods.",
    "Because of my back, I try not to bend or kneel down.",
    "Because of my back, I find it hard to get up from a chair.",
    "My back hurts almost all of the time.",
    "Because of my back, I find it hard to turn over in bed.",
    "Because of my back pain, my appetite is not very good.",
    "Because of the pain in my back, I have trouble putting on socks, stockings or tights.",
    "Because of my back, I walk only short distances.",
    "Because of my back, I sleep less well.",
    "Because of my back pain, someone else helps me get dressed.",
    "Because of my back, I sit down for most of the day.",
    "Because of my back, I avoid heavy jobs around the house.",
    "Because of my back pain, I am more irritable and short-tempered with people than usual.",
    "Because of my back, I go upstairs more slowly than usual.",
    "Because of my back, I stay in bed most of the time.",
)

RMDQ = Instrument(
    code="rmdq",
    version="RMDQ-24 (paraphrase 1)",
    title="Roland-Morris Disability Questionnaire",
    instructions=(
        "When your back hurts, you may find it hard to do some of the things you normally "
        "do. For each sentence, answer yes if it describes you today, and no if it does "
        "not."
    ),
    max_missing=scoring.RMDQ_MAX_MISSING,
    scorer=lambda values: scoring.score_rmdq([None if v is None else v == 1 for v in values]),
    items=tuple(
        Item(str(number), text, YES_NO) for number, text in enumerate(_RMDQ_STATEMENTS, start=1)
    ),
)


# --- STarT Back Screening Tool ---------------------------------------------------------

_STARTBACK_STATEMENTS = (
    "At some time in the last 2 weeks, my back pain has spread down one or both legs.",
    "At some time in the last 2 weeks, I have had pain in my shoulder or neck.",
    "Because of my back pain, I have walked only short distances.",
    "In the last 2 weeks, back pain has made me slower than usual at getting dressed.",
    "For someone with a condition like mine, being physically active is not really safe.",
    "Worrying thoughts have been on my mind a lot of the time.",
    "My back pain feels terrible, and I think it will never get better.",
    "On the whole, I have not enjoyed all the things I used to enjoy.",
)

STARTBACK = Instrument(
    code="startback",
    version="STarT Back 9-item (paraphrase 1)",
    title="STarT Back Screening Tool",
    instructions=(
        "Thinking about the last 2 weeks, say whether you agree or disagree with each "
        "statement, then how bothersome your back pain has been."
    ),
    max_missing=0,
    scorer=scoring.score_startback,
    items=(
        *(
            Item(str(number), text, AGREE_DISAGREE)
            for number, text in enumerate(_STARTBACK_STATEMENTS, start=1)
        ),
        Item(
            "9",
            "Overall, how bothersome has your back pain been in the last 2 weeks?",
            _options(*(label.capitalize() for label in scoring.STARTBACK_BOTHER_OPTIONS)),
        ),
    ),
)


INSTRUMENTS: dict[str, Instrument] = {i.code: i for i in (ODI, NPRS, RMDQ, STARTBACK)}
CODES: tuple[str, ...] = tuple(INSTRUMENTS)


def get(code: str) -> Instrument | None:
    return INSTRUMENTS.get(code)


def codes_in_order(codes: Sequence[str]) -> list[str]:
    return [code for code in CODES if code in codes]
