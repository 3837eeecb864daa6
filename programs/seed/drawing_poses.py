"""The pose of each seeded exercise, by slug, for its line drawing (see stick_figure).

Lying figures have the head on the right; standing, sitting and kneeling ones face
right. `manage.py draw_exercises` renders them into programs/static/programs/exercises/.
"""

from __future__ import annotations

from .stick_figure import Arrow, Limb, Pose

# Limbs that recur.
ARMS_DOWN = Limb(92, 92)
ARMS_ALONG_BODY = Limb(178, 180)  # lying, hands by the hips
LEG_STANDING = Limb(90, 90)
LEG_FLAT = Limb(180, 180, end=-90)  # lying on the back, toes up
LEG_FLAT_PRONE = Limb(180, 180, end=175)  # lying face down
LEG_HOOK = Limb(-135, 135, end=180)  # lying on the back, knee bent, foot flat
LEG_SITTING = Limb(0, 90)
KNEE_TO_CHEST = Limb(-55, 30, end=-40)
ARMS_TO_KNEE = Limb(-150, -115)

_STANDING = {"trunk": -90, "legs": (LEG_STANDING, LEG_STANDING)}


def _standing(**kw: object) -> Pose:
    return Pose(**{**_STANDING, "arms": (ARMS_DOWN, ARMS_DOWN), **kw})  # type: ignore[arg-type]


def _press_up(trunk: float, arms: Limb, **kw: object) -> Pose:
    return Pose(
        trunk=trunk,
        head=-10,
        arms=(arms, arms),
        legs=(LEG_FLAT_PRONE, LEG_FLAT_PRONE),
        **kw,  # type: ignore[arg-type]
    )


def _prone(*props: str) -> Pose:
    return Pose(
        trunk=0,
        head=-18,
        arms=(ARMS_ALONG_BODY, ARMS_ALONG_BODY),
        legs=(LEG_FLAT_PRONE, LEG_FLAT_PRONE),
        props=props,
    )


def _hook_lying(near_leg: Limb = LEG_HOOK, **kw: object) -> Pose:
    base = {"trunk": 0, "head": -25, "arms": (ARMS_ALONG_BODY, ARMS_ALONG_BODY)}
    return Pose(**{**base, "legs": (near_leg, LEG_HOOK), **kw})  # type: ignore[arg-type]


def _seated(trunk: float = -90, **kw: object) -> Pose:
    base = {
        "trunk": trunk,
        "arms": (Limb(80, 10), Limb(80, 10)),
        "legs": (LEG_SITTING, LEG_SITTING),
        "props": ("chair",),
    }
    return Pose(**{**base, **kw})  # type: ignore[arg-type]


def _walking(**kw: object) -> Pose:
    base = {
        "trunk": -88,
        "arms": (Limb(112, 100), Limb(68, 45)),
        "legs": (Limb(68, 92), Limb(112, 122, end=60)),
    }
    return Pose(**{**base, **kw})  # type: ignore[arg-type]


def _squat_lift(trunk: float, thigh: float, **kw: object) -> Pose:
    base = {
        "trunk": trunk,
        "head": 20,
        "arms": (ARMS_DOWN, ARMS_DOWN),
        "legs": (Limb(thigh, 112), Limb(thigh, 112)),
    }
    return Pose(**{**base, **kw})  # type: ignore[arg-type]


POSES: dict[str, Pose] = {
    # McKenzie
    "prone-lying": _prone(),
    "prone-on-elbows": _press_up(-30, Limb(90, 0)),
    # Hands under the shoulders, elbows straight, the pelvis left on the floor.
    "prone-press-up": _press_up(-58, Limb(94, 90), arrows=(Arrow("hip", 72, -14, -54),)),
    "extension-in-lying-hips-off-centre": _press_up(
        -45,
        Limb(118, 100),
        arrows=(Arrow("hip", line=((-14, -22), (14, -22)), both=True),),
    ),
    "side-glide-standing": Pose(
        trunk=-98,
        arms=(Limb(95, 20), Limb(100, 100)),
        legs=(Limb(98, 90), Limb(82, 90)),
        arrows=(Arrow("hip", line=((10, -6), (38, -6))),),
    ),
    "standing-extension": _standing(
        trunk=-114,
        head=-12,
        arms=(Limb(118, 40), Limb(118, 40)),
        arrows=(Arrow("hip", 74, -92, -124),),
    ),
    "flexion-in-lying": Pose(
        trunk=0,
        head=-25,
        arms=(ARMS_TO_KNEE, ARMS_TO_KNEE),
        legs=(KNEE_TO_CHEST, Limb(-50, 32, end=-40)),
        arrows=(Arrow("hip", 52, -150, -110),),
    ),
    "flexion-in-sitting": _seated(
        -35, head=15, arms=(ARMS_DOWN, ARMS_DOWN), arrows=(Arrow("hip", 62, -88, -45),)
    ),
    "flexion-in-standing": _standing(
        trunk=15, head=25, arms=(Limb(95, 95), Limb(95, 95)), arrows=(Arrow("hip", 46, -85, 5),)
    ),
    "slouch-overcorrect": _seated(
        -92, props=("chair",), arrows=(Arrow("hip", 70, -118, -92, both=True),)
    ),
    # Stabilization
    "neutral-spine-pelvic-tilts": _hook_lying(arrows=(Arrow("hip", 18, -200, -155, both=True),)),
    "abdominal-bracing": _hook_lying(arms=(Limb(-172, 175), Limb(-172, 175))),
    "dead-bug": Pose(
        trunk=0,
        head=-25,
        arms=(Limb(-90, -90), Limb(-25, -12)),
        legs=(Limb(-172, -176, end=-90), Limb(-90, 180, end=-90)),
        arrows=(Arrow("hip", 66, -150, -178),),
    ),
    "bird-dog": Pose(
        trunk=-15,
        head=-5,
        arms=(Limb(100, 75, end=None), Limb(-8, -5)),
        legs=(Limb(-178, -178, end=-90), Limb(90, 180, end=175)),
    ),
    "glute-bridge": Pose(
        trunk=25,
        head=-45,
        arms=(Limb(180, 180), Limb(180, 180)),
        legs=(Limb(-160, 100, end=180), Limb(-160, 100, end=180)),
        arrows=(Arrow("hip", line=((4, 30), (4, 6))),),
    ),
    "hook-lying-march": _hook_lying(
        Limb(-95, 180, end=-90), arrows=(Arrow("hip", 30, -140, -100),)
    ),
    "side-plank-knees": Pose(
        trunk=-20,
        arms=(Limb(90, 0), Limb(150, 40)),
        legs=(Limb(160, 180, end=180), Limb(160, 180, end=180)),
        arrows=(Arrow("hip", line=((0, 26), (0, 6))),),
    ),
    "side-plank-full": Pose(
        trunk=-15,
        arms=(Limb(92, 10), Limb(-90, -90)),
        legs=(Limb(165, 165, end=80), Limb(165, 165, end=80)),
        arrows=(Arrow("hip", line=((0, 24), (0, 4))),),
    ),
    "mcgill-curl-up": Pose(
        trunk=-8,
        head=-10,
        arms=(Limb(170, 180), Limb(170, 180)),
        legs=(LEG_HOOK, LEG_FLAT),
        arrows=(Arrow("hip", 74, -4, -20),),
    ),
    "front-plank": Pose(
        trunk=-12,
        head=5,
        arms=(Limb(90, 0), Limb(90, 0)),
        legs=(Limb(168, 168, end=90), Limb(168, 168, end=90)),
    ),
    "stability-ball-bridge": Pose(
        trunk=20,
        head=-40,
        arms=(Limb(180, 180), Limb(180, 180)),
        legs=(Limb(-175, -175, end=-90), Limb(-175, -175, end=-90)),
        props=("ball",),
        arrows=(Arrow("hip", line=((8, 30), (8, 8))),),
    ),
    "pallof-press": _standing(
        arms=(Limb(2, 0), Limb(4, 0)),
        props=("band-side",),
        arrows=(Arrow("shoulder", line=((20, -14), (52, -14))),),
    ),
    "band-row": _standing(
        arms=(Limb(120, 0), Limb(120, 0)),
        props=("band-front",),
        arrows=(Arrow("shoulder", line=((40, 40), (14, 40))),),
    ),
    "hip-hinge-lift": _squat_lift(
        -35, 30, props=("box",), arrows=(Arrow("hip", line=((-16, 40), (-16, 0))),)
    ),
    "prone-back-extension": Pose(
        trunk=-12,
        head=-6,
        arms=(Limb(-8, -8), Limb(-6, -6)),
        legs=(Limb(-172, -172, end=175), Limb(-170, -170, end=175)),
        arrows=(Arrow("hip", 70, 2, -16), Arrow("hip", 70, 178, 196)),
    ),
    # Stretching
    "supine-piriformis-stretch": Pose(
        trunk=0,
        head=-25,
        arms=(ARMS_TO_KNEE, ARMS_TO_KNEE),
        legs=(Limb(-60, 20, end=-50), LEG_HOOK),
        arrows=(Arrow("hip", 50, -130, -80),),
    ),
    "figure-four-stretch": Pose(
        trunk=0,
        head=-25,
        arms=(Limb(-165, -150), Limb(-165, -150)),
        legs=(Limb(-150, -35, end=-100), Limb(-100, 170, end=-90)),
    ),
    "seated-piriformis-stretch": _seated(
        -60,
        head=10,
        arms=(Limb(80, 20), Limb(80, 20)),
        legs=(Limb(-15, 165, end=-100), LEG_SITTING),
        arrows=(Arrow("hip", 64, -92, -66),),
    ),
    "supine-hamstring-stretch": Pose(
        trunk=0,
        head=-25,
        arms=(Limb(-110, -100), Limb(-110, -100)),
        legs=(Limb(-80, -80, end=10), LEG_FLAT),
        props=("strap",),
        arrows=(Arrow("hip", 60, -104, -84),),
    ),
    "seated-hamstring-stretch": _seated(
        -55,
        head=10,
        arms=(Limb(60, 40), Limb(60, 40)),
        legs=(Limb(32, 32, end=-60), Limb(5, 88)),
        arrows=(Arrow("hip", 64, -92, -62),),
    ),
    "childs-pose": Pose(
        trunk=15,
        head=-10,
        arms=(Limb(15, 0), Limb(15, 0)),
        legs=(Limb(40, 180, end=180), Limb(40, 180, end=180)),
    ),
    "knee-to-chest-single": Pose(
        trunk=0,
        head=-25,
        arms=(ARMS_TO_KNEE, ARMS_TO_KNEE),
        legs=(KNEE_TO_CHEST, LEG_FLAT),
        arrows=(Arrow("hip", 52, -150, -110),),
    ),
    "sciatic-nerve-glide": _seated(
        head=-25,
        legs=(Limb(0, 12, end=-80), LEG_SITTING),
        arrows=(Arrow("near_knee", 30, 80, 20),),
    ),
    "hip-flexor-stretch": Pose(
        trunk=-90,
        arms=(Limb(70, 0), Limb(70, 0)),
        legs=(Limb(0, 90), Limb(100, 180, end=175)),
        arrows=(Arrow("hip", line=((-6, 8), (20, 8))),),
    ),
    # Aerobic
    "walking": _walking(arrows=(Arrow("shoulder", line=((34, -8), (64, -8))),)),
    "swimming": Pose(
        trunk=0,
        head=8,
        arms=(Limb(-4, -2), Limb(120, 160)),
        legs=(Limb(176, 182, end=175), Limb(184, 178, end=175)),
        props=("water",),
        floor=False,
        arrows=(Arrow("hip", line=((70, 26), (100, 26))),),
    ),
    "pool-walking": _walking(
        arms=(Limb(120, 110), Limb(60, 40)),
        props=("water-deep",),
        arrows=(Arrow("shoulder", line=((34, -8), (64, -8))),),
    ),
    "stationary-cycling": Pose(
        trunk=-70,
        head=15,
        arms=(Limb(25, 10), Limb(25, 10)),
        legs=(Limb(5, 100), Limb(50, 70)),
        props=("bike",),
    ),
    # Self-care
    "heat-pack": _prone("heat"),
    "cold-pack": _prone("cold"),
    "sitting-posture-lumbar-roll": _seated(props=("chair-back", "roll")),
    "lifting-technique": _squat_lift(
        -62,
        12,
        arms=(Limb(80, 20), Limb(80, 20)),
        props=("box-held",),
        arrows=(Arrow("hip", line=((-20, 30), (-20, -10))),),
    ),
    "movement-breaks": Pose(
        trunk=-55,
        head=15,
        arms=(Limb(50, 20), Limb(50, 20)),
        legs=(Limb(15, 105), Limb(15, 105)),
        props=("chair",),
        arrows=(Arrow("hip", 40, 160, 250),),
    ),
    "sleeping-positions": Pose(
        trunk=0,
        head=0,
        arms=(Limb(150, 10), Limb(160, 0)),
        legs=(Limb(-155, 160, end=-110), Limb(-150, 165, end=-100)),
        props=("pillow", "knee-pillow"),
    ),
}
