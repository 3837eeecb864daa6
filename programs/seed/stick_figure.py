"""Renders a pose (joint angles) as a small SVG line drawing: a stick figure on a floor
line, with the props and movement arrows the pose names.

Angles are in degrees on the drawing's own axes: 0 points right, 90 down, 180 left,
-90 up. Near limbs are drawn dark, far limbs light and behind, so a side view still
tells them apart. The figure is grounded on the floor by its lowest joint, so a pose
only says how the body is bent, never where it stands.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

Point = tuple[float, float]

TRUNK, NECK, HEAD_R = 60.0, 6.0, 10.0
UPPER_ARM, FOREARM = 30.0, 28.0
THIGH, SHIN, FOOT = 40.0, 38.0, 10.0

WIDTH, HEIGHT, FLOOR_Y, MARGIN = 240.0, 200.0, 184.0, 8.0
INK, FAR_INK, PROP_INK, ARROW_INK = "#1f2937", "#9ca3af", "#6b7280", "#2563eb"


@dataclass(frozen=True)
class Limb:
    """Two segments from the shoulder or hip; `end` is a foot's angle (None: the foot
    points forward, square to the shin)."""

    first: float
    second: float
    end: float | None = None


@dataclass(frozen=True)
class Arrow:
    """A movement: an arc of `radius` around a joint from one angle to another, or
    (with `line`) a straight arrow between two offsets from the joint."""

    joint: str
    radius: float = 0.0
    start: float = 0.0
    stop: float = 0.0
    line: tuple[Point, Point] | None = None
    both: bool = False


@dataclass(frozen=True)
class Pose:
    trunk: float
    arms: tuple[Limb, Limb]  # near, far
    legs: tuple[Limb, Limb]  # near, far
    head: float = 0.0  # the head's tilt from the trunk's line
    facing: int = 1  # 1: the figure faces right, -1: left
    props: tuple[str, ...] = ()
    arrows: tuple[Arrow, ...] = ()
    floor: bool = True
    lift: float = 0.0  # how far the lowest joint floats above the floor (water)


def _at(origin: Point, angle: float, length: float) -> Point:
    rad = math.radians(angle)
    return origin[0] + length * math.cos(rad), origin[1] + length * math.sin(rad)


@dataclass
class _Figure:
    joints: dict[str, Point] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Point:
        return self.joints[name]


def _skeleton(pose: Pose) -> _Figure:
    fig = _Figure()
    hip = (0.0, 0.0)
    shoulder = _at(hip, pose.trunk, TRUNK)
    fig.joints.update(hip=hip, shoulder=shoulder)
    fig.joints["head"] = _at(shoulder, pose.trunk + pose.head, NECK + HEAD_R)
    for side, arm in zip(("near", "far"), pose.arms, strict=True):
        elbow = _at(shoulder, arm.first, UPPER_ARM)
        fig.joints[f"{side}_elbow"] = elbow
        fig.joints[f"{side}_wrist"] = _at(elbow, arm.second, FOREARM)
    for side, leg in zip(("near", "far"), pose.legs, strict=True):
        knee = _at(hip, leg.first, THIGH)
        ankle = _at(knee, leg.second, SHIN)
        foot = leg.end if leg.end is not None else leg.second - 90 * pose.facing
        fig.joints[f"{side}_knee"] = knee
        fig.joints[f"{side}_ankle"] = ankle
        fig.joints[f"{side}_toe"] = _at(ankle, foot, FOOT)
    return fig


def _ground(fig: _Figure, pose: Pose) -> _Figure:
    lowest = max(y for name, (_, y) in fig.joints.items() if name != "head")
    xs = [x for x, _ in fig.joints.values()]
    dx = WIDTH / 2 - (min(xs) + max(xs)) / 2
    dy = FLOOR_Y - 3 - pose.lift - lowest
    if not pose.floor:
        dy = HEIGHT / 2 - (lowest + min(y for _, y in fig.joints.values())) / 2
    return _Figure({name: (x + dx, y + dy) for name, (x, y) in fig.joints.items()})


def _line(a: Point, b: Point, ink: str, width: float = 5) -> str:
    return (
        f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" '
        f'stroke="{ink}" stroke-width="{width}" stroke-linecap="round"/>'
    )


def _path(points: list[Point], ink: str, width: float = 5) -> str:
    d = "M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in points)
    return (
        f'<path d="{d}" fill="none" stroke="{ink}" stroke-width="{width}" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
    )


def _limbs(fig: _Figure, side: str, ink: str) -> list[str]:
    return [
        _path([fig["shoulder"], fig[f"{side}_elbow"], fig[f"{side}_wrist"]], ink),
        _path([fig["hip"], fig[f"{side}_knee"], fig[f"{side}_ankle"], fig[f"{side}_toe"]], ink),
    ]


def _arrowhead(tip: Point, angle: float) -> str:
    left, right = _at(tip, angle + 155, 9), _at(tip, angle - 155, 9)
    return (
        f'<path d="M{tip[0]:.1f} {tip[1]:.1f} L{left[0]:.1f} {left[1]:.1f} '
        f'L{right[0]:.1f} {right[1]:.1f} Z" fill="{ARROW_INK}"/>'
    )


def _arrow(fig: _Figure, arrow: Arrow) -> list[str]:
    cx, cy = fig[arrow.joint]
    if arrow.line is not None:
        (x1, y1), (x2, y2) = arrow.line
        a, b = (cx + x1, cy + y1), (cx + x2, cy + y2)
        angle = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
        parts = [_line(a, b, ARROW_INK, 3), _arrowhead(b, angle)]
        if arrow.both:
            parts.append(_arrowhead(a, angle + 180))
        return parts
    steps = max(2, int(abs(arrow.stop - arrow.start) / 5))
    arc = [
        _at((cx, cy), arrow.start + (arrow.stop - arrow.start) * i / steps, arrow.radius)
        for i in range(steps + 1)
    ]
    turn = 90 if arrow.stop > arrow.start else -90
    parts = [_path(arc, ARROW_INK, 3), _arrowhead(arc[-1], arrow.stop + turn)]
    if arrow.both:
        parts.append(_arrowhead(arc[0], arrow.start - turn))
    return parts


def _rect(x: float, y: float, w: float, h: float, *, fill: str = "none", rx: float = 3) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{rx}" '
        f'fill="{fill}" stroke="{PROP_INK}" stroke-width="3"/>'
    )


def _circle(c: Point, r: float, fill: str = "none", ink: str = PROP_INK, width: float = 3) -> str:
    return (
        f'<circle cx="{c[0]:.1f}" cy="{c[1]:.1f}" r="{r:.1f}" fill="{fill}" '
        f'stroke="{ink}" stroke-width="{width}"/>'
    )


def _waves(y: float, x1: float, x2: float) -> str:
    points, x, up = [], x1, True
    while x <= x2:
        points.append((x, y - 3 if up else y + 3))
        x, up = x + 10, not up
    return _path(points, "#60a5fa", 2.5)


def _chair(fig: _Figure, back: bool) -> list[str]:
    hx = fig["hip"][0]
    seat = FLOOR_Y - 38
    parts = [_line((hx - 16, seat), (hx + 20, seat), PROP_INK, 4)]
    parts += [_line((x, seat), (x, FLOOR_Y), PROP_INK, 3) for x in (hx - 14, hx + 18)]
    if back:
        parts.append(_line((hx - 16, seat), (hx - 16, seat - 50), PROP_INK, 4))
    return parts


def _pack(fig: _Figure) -> str:
    (hx, hy), (sx, sy) = fig["hip"], fig["shoulder"]
    x = hx + (sx - hx) * 0.1
    return _rect(x, min(hy, sy) - 12, 26, 8, fill="#e5e7eb")


def _ball(fig: _Figure) -> list[str]:
    ankle = fig["near_ankle"]
    r = max(8.0, (FLOOR_Y - ankle[1]) / 2)
    return [_circle((ankle[0] - 4, FLOOR_Y - r), r, fill="#f3f4f6")]


def _band(fig: _Figure, post_x: float) -> list[str]:
    wrist = fig["near_wrist"]
    return [
        _line((post_x, FLOOR_Y), (post_x, wrist[1] - 20), PROP_INK, 4),
        _line(wrist, (post_x, wrist[1]), "#b45309", 2.5),
    ]


def _bike(fig: _Figure) -> list[str]:
    hx, hy = fig["hip"]
    crank = (
        (fig["near_ankle"][0] + fig["far_ankle"][0]) / 2,
        (fig["near_ankle"][1] + fig["far_ankle"][1]) / 2,
    )
    return [
        _circle(crank, 12),
        _line((hx, hy + 5), crank, PROP_INK, 4),
        _line(crank, fig["near_wrist"], PROP_INK, 4),
        _line((crank[0] - 30, FLOOR_Y), (crank[0] + 40, FLOOR_Y), PROP_INK, 5),
        _line(crank, (crank[0], FLOOR_Y), PROP_INK, 4),
    ]


def _heat_or_cold(fig: _Figure, *, heat: bool) -> list[str]:
    hx, hy = fig["hip"]
    top = min(hy, fig["shoulder"][1]) - 18
    x0 = hx + (fig["shoulder"][0] - hx) * 0.1 + 4
    if heat:  # rising wavy lines
        return [_pack(fig)] + [
            _path([(x0 + dx, top), (x0 + dx + 3, top - 6), (x0 + dx, top - 12)], "#dc2626", 2)
            for dx in (2, 9, 16)
        ]
    c = (x0 + 9, top - 8)  # a snowflake
    return [_pack(fig)] + [
        _line(_at(c, a, 7), _at(c, a + 180, 7), "#0ea5e9", 2) for a in (0, 60, 120)
    ]


def _box(fig: _Figure, *, held: bool) -> list[str]:
    x, y = fig["near_wrist"]
    if held:
        return [_rect(x - 6, y - 12, 22, 20, fill="#f3f4f6")]
    return [_rect(x - 14, y, 28, FLOOR_Y - y - 1, fill="#f3f4f6")]


def _cushion(centre: Point, w: float, h: float) -> list[str]:
    return [_rect(centre[0] - w / 2, centre[1], w, h, fill="#f3f4f6", rx=4)]


PROPS: dict[str, Callable[[_Figure], list[str]]] = {
    "chair": lambda fig: _chair(fig, back=False),
    "chair-back": lambda fig: _chair(fig, back=True),
    "roll": lambda fig: [_circle((fig["hip"][0] - 8, fig["hip"][1] - 14), 6, fill="#e5e7eb")],
    "ball": _ball,
    "strap": lambda fig: [_line(fig["near_wrist"], fig["near_toe"], "#b45309", 2.5)],
    "band-front": lambda fig: _band(fig, WIDTH - 14),
    "band-side": lambda fig: _band(fig, 14),
    "box": lambda fig: _box(fig, held=False),
    "box-held": lambda fig: _box(fig, held=True),
    "water": lambda fig: [_waves(fig["shoulder"][1] - 18, 10, WIDTH - 10)],
    "water-deep": lambda fig: [_waves(fig["shoulder"][1] + 14, 10, WIDTH - 10)],
    "bike": _bike,
    "heat": lambda fig: _heat_or_cold(fig, heat=True),
    "cold": lambda fig: _heat_or_cold(fig, heat=False),
    "pillow": lambda fig: _cushion((fig["head"][0], FLOOR_Y - 9), 28, 8),
    "knee-pillow": lambda fig: _cushion((fig["near_knee"][0], fig["near_knee"][1] - 2), 16, 10),
}
BEHIND = ("chair", "chair-back", "ball", "bike")  # drawn before the figure


def render(pose: Pose, title: str) -> str:
    """The SVG document for one pose, titled (for screen readers) with `title`."""
    fig = _ground(_skeleton(pose), pose)
    behind = [part for name in pose.props if name in BEHIND for part in PROPS[name](fig)]
    front = [part for name in pose.props if name not in BEHIND for part in PROPS[name](fig)]
    parts = [
        # width and height beside the viewBox: some phones' image views size by them.
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" '
        f'width="{WIDTH:.0f}" height="{HEIGHT:.0f}" role="img">',
        f"<title>{escape(title)}</title>",
    ]
    if pose.floor:
        parts.append(_line((MARGIN, FLOOR_Y + 2), (WIDTH - MARGIN, FLOOR_Y + 2), PROP_INK, 2))
    parts += behind
    parts += _limbs(fig, "far", FAR_INK)
    parts.append(_line(fig["hip"], fig["shoulder"], INK, 6))
    parts.append(_circle(fig["head"], HEAD_R, fill="#ffffff", ink=INK, width=4))
    parts += _limbs(fig, "near", INK)
    parts += front
    for arrow in pose.arrows:
        parts += _arrow(fig, arrow)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
