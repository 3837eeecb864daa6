"""The visits app's models, named here so the app registers every one of them."""

from __future__ import annotations

from .billing_models import Coverage, Fee, Payer
from .note_models import Addendum, NoteKind, ProcedureLine, VisitNote
from .plan_models import Goal, PlanOfCare, SignatureStatus
from .rtm_models import ConsentMethod, RtmEpisode, RtmTimeEntry

__all__ = [
    "Addendum",
    "ConsentMethod",
    "Coverage",
    "Fee",
    "Goal",
    "NoteKind",
    "Payer",
    "PlanOfCare",
    "ProcedureLine",
    "RtmEpisode",
    "RtmTimeEntry",
    "SignatureStatus",
    "VisitNote",
]
