"""The pain model: back pain and leg pain read apart, as McKenzie practice reads them.

Pure functions (readings in, findings out); programs.safety applies them to a stored
session. The rules, for one set of readings (a session's, or one exercise's):

- leg pain rising by 2 or more points: stop;
- pain spreading further down the leg (peripheralization), during the session or
  since the previous one: stop;
- back pain rising while the pain centralizes (the leg pain eases, or the pain retreats
  toward the back): the expected centralization response, recorded, not a stop;
- back pain rising by 2 or more with no centralization: stop.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .models import ExtentChange, PainExtent, PainReadings, StopReason

# Pain is read on a 0 (none) to 10 (worst) scale.
WORST_PAIN = 10
# A rise of this many points or more stops the exercise.
PAIN_RISE = 2

# Pain reaching below the buttock is leg (radicular) pain; the back and the buttock are
# read with the back. The same rule moved the old single readings (migration 0007).
LEG_EXTENTS = frozenset({PainExtent.THIGH, PainExtent.CALF, PainExtent.FOOT})


def legacy_pain(*, before: int | None, after: int | None, extent: str) -> dict[str, int | None]:
    """The deprecated single pain reading as leg pain (the pain reached below the
    buttock) or back pain (it did not); the other reading stays unknown, not 0."""
    side = "leg" if extent in LEG_EXTENTS else "back"
    return {f"{side}_pain_before": before, f"{side}_pain_after": after}


@dataclass(frozen=True)
class Pain:
    """One pain (back or leg) before and after; either may be unknown."""

    before: int | None
    after: int | None

    @property
    def known(self) -> bool:
        return self.before is not None and self.after is not None

    @property
    def rise(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    def rose_by(self, points: int) -> bool:
        rise = self.rise
        return rise is not None and rise >= points

    @property
    def eased(self) -> bool:
        rise = self.rise
        return rise is not None and rise < 0


def back_pain(readings: PainReadings) -> Pain:
    return Pain(readings.back_pain_before, readings.back_pain_after)


def leg_pain(readings: PainReadings) -> Pain:
    return Pain(readings.leg_pain_before, readings.leg_pain_after)


def extent_change(previous: str | None, current: str) -> ExtentChange:
    """Compare a pain extent with an earlier one (None: there is none to compare)."""
    if not previous:
        return ExtentChange.FIRST
    delta = PainExtent.rank(current) - PainExtent.rank(previous)
    if delta > 0:
        return ExtentChange.PERIPHERALIZED
    if delta < 0:
        return ExtentChange.CENTRALIZED
    return ExtentChange.SAME


@dataclass(frozen=True)
class Extent:
    """Where a session's pain went: during it (None when the app did not say where it
    started) and since the previous session."""

    during: ExtentChange | None
    since_previous: ExtentChange

    @property
    def spread(self) -> bool:
        """Peripheralization. A pain that spread since the previous session but retreated
        during this one is not held against this session's movements: they brought it
        back, which is the response McKenzie looks for."""
        if self.during == ExtentChange.PERIPHERALIZED:
            return True
        return (
            self.since_previous == ExtentChange.PERIPHERALIZED
            and self.during != ExtentChange.CENTRALIZED
        )

    @property
    def retreated(self) -> bool:
        if self.during == ExtentChange.CENTRALIZED:
            return True
        return (
            self.since_previous == ExtentChange.CENTRALIZED
            and self.during != ExtentChange.PERIPHERALIZED
        )


@dataclass(frozen=True)
class Finding:
    """A reason to stop: what rose, from what to what."""

    reason: StopReason
    before: int | None
    after: int | None

    def describe(self) -> str:
        if self.reason == StopReason.PERIPHERALIZED:
            return "pain spread further down the leg"
        what = "leg pain" if self.reason == StopReason.LEG_PAIN_ROSE else "back pain"
        text = f"{what} from {self.before} to {self.after} (+{Pain(self.before, self.after).rise})"
        if self.reason == StopReason.BACK_PAIN_ROSE:
            text += " without centralization"
        return text


@dataclass(frozen=True)
class Verdict:
    findings: tuple[Finding, ...] = ()
    centralization: bool = False  # back pain rose as the pain centralized: expected

    def first(self, reason: StopReason) -> Finding | None:
        return next((f for f in self.findings if f.reason == reason), None)


def judge(*, back: Pain, leg: Pain, extent: Extent, leg_eased_elsewhere: bool = False) -> Verdict:
    """The pain rules for one set of readings. `leg_eased_elsewhere`: an exercise without
    its own leg reading takes the session's (did the leg pain ease?)."""
    findings = []
    if leg.rose_by(PAIN_RISE):
        findings.append(Finding(StopReason.LEG_PAIN_ROSE, leg.before, leg.after))
    centralizing = not extent.spread and (
        extent.retreated or leg.eased or (not leg.known and leg_eased_elsewhere)
    )
    if back.rose_by(PAIN_RISE) and not centralizing:
        findings.append(Finding(StopReason.BACK_PAIN_ROSE, back.before, back.after))
    return Verdict(findings=tuple(findings), centralization=back.rose_by(1) and centralizing)


def stop_for(
    *, own: Verdict, session: Verdict, has_own: Mapping[str, bool], extent: Extent, leg: Pain
) -> Finding | None:
    """Why one exercise of the session stops, if it does: its own readings first; the
    session's leg or back finding when the exercise has no reading of that pain; a
    spreading pain for every exercise (the app records no extent per exercise), with
    `leg`, the leg pain that goes with it."""
    for reason in (StopReason.LEG_PAIN_ROSE, StopReason.BACK_PAIN_ROSE):
        if (found := own.first(reason)) is not None:
            return found
    session_leg = session.first(StopReason.LEG_PAIN_ROSE)
    if session_leg is not None and not has_own["leg"]:
        return session_leg
    if extent.spread:
        return Finding(StopReason.PERIPHERALIZED, leg.before, leg.after)
    session_back = session.first(StopReason.BACK_PAIN_ROSE)
    if session_back is not None and not has_own["back"]:
        return session_back
    return None
