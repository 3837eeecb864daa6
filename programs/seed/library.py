"""Seed content: the exercise library and the program templates built from it.

Plain data, loaded by `programs.seed.loader.load_library` (from a data migration and
from the running project). Choice fields hold the *values* of `programs.models.Category`,
`Method`, `ProgramKind` and `patients.models.Cause`; every dosage lists all five keys
(`sets`, `reps`, `hold_seconds`, `minutes`, `times_per_day`), None where it does not
apply. Instructions are written for a patient reading on a phone, one step per string;
contraindication reasons are written for the therapist.

Contraindications follow the direction of loading:
- extension-biased movements are not for spinal stenosis (extension narrows the canal
  and foramina) or spondylolisthesis (extension loads the pars and the slipped level);
- flexion-biased movements are not for a herniated disc (flexion loads a posterior
  herniation) unless flexion is the tested directional preference.
"""

from __future__ import annotations

# Reasons shared by several exercises, written for the therapist.
_EXTENSION_STENOSIS = (
    "Lumbar extension narrows the central canal and the foramina, so repeated or "
    "sustained extension tends to provoke neurogenic claudication in spinal stenosis."
)
_EXTENSION_SPONDYLOLISTHESIS = (
    "End-range lumbar extension loads the pars interarticularis and facets and can "
    "increase shear at the slipped level in spondylolisthesis."
)
_FLEXION_HERNIATED_DISC = (
    "Repeated or sustained lumbar flexion pushes disc material backward, loading a "
    "posterior herniation and risking peripheralization; use only if flexion is the "
    "tested directional preference."
)

_EXTENSION_CONTRAINDICATIONS = [
    {"cause": "spinal_stenosis", "reason": _EXTENSION_STENOSIS},
    {"cause": "spondylolisthesis", "reason": _EXTENSION_SPONDYLOLISTHESIS},
]
_FLEXION_CONTRAINDICATIONS = [
    {"cause": "herniated_disc", "reason": _FLEXION_HERNIATED_DISC},
]

# Safety lines repeated in the instructions.
_STOP_IF_SPREADS = (
    "Stop and tell your therapist if pain spreads further down your leg, or if numbness "
    "or tingling gets worse."
)
_CENTRALIZING_IS_GOOD = (
    "Pain moving out of your leg and toward the middle of your back is a good sign. "
    "Pain spreading further down your leg is not: stop and tell your therapist."
)


EXERCISES: list[dict] = [
    # ------------------------------------------------------------------ McKenzie
    {
        "slug": "prone-lying",
        "name": "Prone lying",
        "category": "mckenzie",
        "methods": ["mckenzie"],
        "summary": (
            "Lying face down to let the low back settle into a gentle curve; the first "
            "step of the extension progression."
        ),
        "instructions": [
            "Lie face down on a firm bed or the floor, arms by your sides.",
            "Turn your head to one side, whichever is more comfortable.",
            "Breathe slowly and let your back, hips and legs go completely loose.",
            "Stay like this for 2 to 3 minutes.",
            "Get up slowly: roll onto your side, then push up with your arms.",
            _CENTRALIZING_IS_GOOD,
        ],
        "dosage": {
            "sets": None,
            "reps": None,
            "hold_seconds": None,
            "minutes": 3,
            "times_per_day": 6,
        },
        "contraindications": _EXTENSION_CONTRAINDICATIONS,
    },
    {
        "slug": "prone-on-elbows",
        "name": "Prone on elbows",
        "category": "mckenzie",
        "methods": ["mckenzie"],
        "summary": (
            "Resting face down propped on the elbows, a sustained low-back extension "
            "that follows prone lying."
        ),
        "instructions": [
            "Lie face down, then prop yourself up on your elbows and forearms.",
            "Keep your elbows under your shoulders and your hips on the floor.",
            "Let your low back and belly sag toward the floor; do not tense your buttocks.",
            "Breathe slowly and stay here for 2 to 3 minutes.",
            "Lower yourself back down and lie flat for a few breaths before getting up.",
            _CENTRALIZING_IS_GOOD,
        ],
        "dosage": {
            "sets": None,
            "reps": None,
            "hold_seconds": None,
            "minutes": 3,
            "times_per_day": 6,
        },
        "contraindications": _EXTENSION_CONTRAINDICATIONS,
    },
    {
        "slug": "prone-press-up",
        "name": "Prone press-up (extension in lying)",
        "category": "mckenzie",
        "methods": ["mckenzie"],
        "summary": (
            "Repeated end-range lumbar extension in lying, the core McKenzie exercise "
            "for a derangement with an extension preference."
        ),
        "instructions": [
            "Lie face down with your hands flat under your shoulders, as for a push-up.",
            "Push your upper body up by straightening your arms. Keep your hips on the floor.",
            "Let your low back sag. Your arms do the work; your back and buttocks stay loose.",
            "Pause for a second at the top, then lower yourself down slowly.",
            "Repeat 10 times, going a little higher each time as far as comfort allows.",
            "In the first days, do a set about every 2 hours while you are awake.",
            _CENTRALIZING_IS_GOOD,
        ],
        "dosage": {
            "sets": 1,
            "reps": 10,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": 8,
        },
        "contraindications": _EXTENSION_CONTRAINDICATIONS,
    },
    {
        "slug": "extension-in-lying-hips-off-centre",
        "name": "Extension in lying with hips off-centre",
        "category": "mckenzie",
        "methods": ["mckenzie"],
        "summary": (
            "Prone press-up with the hips shifted away from the painful side, for "
            "one-sided symptoms or a lateral shift that central extension does not reduce."
        ),
        "instructions": [
            "Lie face down with your hands under your shoulders.",
            "Move your hips a few inches away from the side of your pain "
            "(right leg pain: hips to the left). Keep your shoulders where they are.",
            "Push your upper body up by straightening your arms, letting your back sag.",
            "Pause for a second, then lower yourself down slowly.",
            "Repeat 10 times, keeping your hips shifted the whole time.",
            _CENTRALIZING_IS_GOOD,
        ],
        "dosage": {
            "sets": 1,
            "reps": 10,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": 6,
        },
        "contraindications": _EXTENSION_CONTRAINDICATIONS,
    },
    {
        "slug": "side-glide-standing",
        "name": "Side glide in standing",
        "category": "mckenzie",
        "methods": ["mckenzie"],
        "summary": (
            "Self-correction of a lateral shift: gliding the pelvis sideways under the "
            "trunk against a wall, before extension is possible."
        ),
        "instructions": [
            "Stand side-on to a wall, about a foot away, with your painful side away from it.",
            "Put your elbow (on the wall side) against the wall, tucked into your ribs.",
            "Put your other hand on your hip.",
            "Push your hips slowly toward the wall, keeping your shoulders level.",
            "Hold for a second or two, then ease back. Repeat 10 times.",
            "Once your body feels straight, do a few standing back bends.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {
            "sets": 1,
            "reps": 10,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": 6,
        },
        "contraindications": [],
    },
    {
        "slug": "standing-extension",
        "name": "Standing extension",
        "category": "mckenzie",
        "methods": ["mckenzie"],
        "summary": (
            "Repeated backward bending in standing, used to keep extension after sitting, "
            "bending or lifting and when lying down is not possible."
        ),
        "instructions": [
            "Stand with your feet apart and your hands on your low back, fingers pointing down.",
            "Keep your knees straight and lean your upper body backward as far as is comfortable.",
            "Use your hands as the pivot point, pushing your hips gently forward.",
            "Pause for a second, then come back upright.",
            "Repeat 10 times, especially after sitting, bending forward or lifting.",
            _CENTRALIZING_IS_GOOD,
        ],
        "dosage": {
            "sets": 1,
            "reps": 10,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": 6,
        },
        "contraindications": _EXTENSION_CONTRAINDICATIONS,
    },
    {
        "slug": "flexion-in-lying",
        "name": "Flexion in lying (knees to chest)",
        "category": "mckenzie",
        "methods": ["mckenzie"],
        "summary": (
            "Repeated double knee-to-chest in lying, the first flexion exercise when "
            "flexion is the directional preference."
        ),
        "instructions": [
            "Lie on your back with your knees bent and feet flat.",
            "Bring both knees up toward your chest and hold them with your hands.",
            "Gently pull your knees as close to your chest as is comfortable.",
            "Hold for a second or two, then lower your feet back to the bed one at a time.",
            "Repeat 10 times.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {
            "sets": 1,
            "reps": 10,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": 4,
        },
        "contraindications": _FLEXION_CONTRAINDICATIONS,
    },
    {
        "slug": "flexion-in-sitting",
        "name": "Flexion in sitting",
        "category": "mckenzie",
        "methods": ["mckenzie"],
        "summary": (
            "Repeated forward bending from a seated position, progressing flexion once "
            "flexion in lying is easy."
        ),
        "instructions": [
            "Sit on the edge of a steady chair with your feet wide apart.",
            "Put your hands on your knees.",
            "Bend forward slowly, sliding your hands down toward the floor between your feet.",
            "Go as far as is comfortable, then sit back up slowly.",
            "Repeat 10 times.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {
            "sets": 1,
            "reps": 10,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": 4,
        },
        "contraindications": _FLEXION_CONTRAINDICATIONS,
    },
    {
        "slug": "flexion-in-standing",
        "name": "Flexion in standing",
        "category": "mckenzie",
        "methods": ["mckenzie"],
        "summary": (
            "Repeated forward bending in standing, the last step of the flexion "
            "progression once flexion in sitting is easy."
        ),
        "instructions": [
            "Stand with your feet apart and your knees straight but not locked.",
            "Slide your hands down the front of your legs as you bend forward slowly.",
            "Go only as far as is comfortable.",
            "Come back upright slowly, using your hands on your thighs if you need to.",
            "Repeat 10 times.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {
            "sets": 1,
            "reps": 10,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": 3,
        },
        "contraindications": _FLEXION_CONTRAINDICATIONS,
    },
    {
        "slug": "slouch-overcorrect",
        "name": "Slouch-overcorrect",
        "category": "mckenzie",
        "methods": ["mckenzie"],
        "summary": (
            "Moving in sitting from a full slouch to a fully upright, hollowed low back "
            "and easing off slightly, to learn a good sitting posture."
        ),
        "instructions": [
            "Sit on the edge of a chair and let yourself slump completely.",
            "Then sit up as tall as you can, making the hollow in your low back as big as you can.",
            "Hold for a moment, then let go fully into the slump again.",
            "Repeat 10 times, moving smoothly between the two positions.",
            "Finish in the tall position, then relax about 10 percent. That is your good "
            "sitting posture.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {
            "sets": 1,
            "reps": 10,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": 3,
        },
        "contraindications": [
            {
                "cause": "spinal_stenosis",
                "reason": (
                    "Each repetition ends in end-range lumbar extension in sitting, which "
                    "narrows the canal and foramina in spinal stenosis."
                ),
            },
            {
                "cause": "spondylolisthesis",
                "reason": (
                    "Each repetition ends in end-range lumbar extension, loading the pars "
                    "and the slipped level in spondylolisthesis."
                ),
            },
        ],
    },
    # ------------------------------------------------------------ Strengthening
    {
        "slug": "neutral-spine-pelvic-tilts",
        "name": "Finding neutral spine (pelvic tilts)",
        "category": "strengthening",
        "methods": ["stabilization"],
        "summary": (
            "Rocking the pelvis between a flat and an arched low back to find the most "
            "comfortable middle position, the starting point of stabilization."
        ),
        "instructions": [
            "Lie on your back with your knees bent and feet flat.",
            "Tighten your belly gently and flatten your low back into the floor.",
            "Then arch your low back slightly away from the floor.",
            "Rock slowly between the two, 10 times, staying in a comfortable range.",
            "Stop in the middle, where your back feels most comfortable. This is your "
            "neutral spine.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {
            "sets": 1,
            "reps": 10,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": 2,
        },
        "contraindications": [],
    },
    {
        "slug": "abdominal-bracing",
        "name": "Abdominal bracing",
        "category": "strengthening",
        "methods": ["stabilization"],
        "summary": (
            "Gently stiffening the abdominal wall around a neutral spine and holding it "
            "while breathing normally."
        ),
        "instructions": [
            "Lie on your back with your knees bent and your spine in neutral.",
            "Tighten your stomach muscles as if someone were about to poke your belly.",
            "Use only a light effort; your back should not flatten or arch.",
            "Keep breathing normally and hold for 5 seconds, then relax.",
            "Repeat 10 times. Later, practise the same brace sitting and standing.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {"sets": 1, "reps": 10, "hold_seconds": 5, "minutes": None, "times_per_day": 3},
        "contraindications": [],
    },
    {
        "slug": "dead-bug",
        "name": "Dead bug",
        "category": "strengthening",
        "methods": ["stabilization"],
        "summary": (
            "Alternating arm and leg reaches on the back while the brace holds the spine "
            "in neutral."
        ),
        "instructions": [
            "Lie on your back with your hips and knees bent to 90 degrees and your arms "
            "pointing at the ceiling.",
            "Brace your stomach and keep your low back still.",
            "Slowly lower one arm overhead and straighten the opposite leg toward the floor.",
            "Go only as far as you can without your back arching, then return.",
            "Switch sides. Each side counts as one repetition.",
            "Start with just the legs if the full movement is too hard.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {
            "sets": 2,
            "reps": 10,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": 1,
        },
        "contraindications": [],
    },
    {
        "slug": "bird-dog",
        "name": "Bird dog",
        "category": "strengthening",
        "methods": ["stabilization"],
        "summary": (
            "Reaching the opposite arm and leg out from hands and knees while the trunk "
            "stays still, for back and hip extensor endurance."
        ),
        "instructions": [
            "Get on your hands and knees, hands under shoulders, knees under hips.",
            "Brace your stomach and keep your back flat like a table.",
            "Slowly reach one arm forward and the opposite leg back, level with your body.",
            "Hold for 5 seconds without letting your back sag or your hips tip.",
            "Return and switch sides. Each side counts as one repetition.",
            "If this is too hard, move only a leg or only an arm at first.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {"sets": 2, "reps": 10, "hold_seconds": 5, "minutes": None, "times_per_day": 1},
        "contraindications": [],
    },
    {
        "slug": "glute-bridge",
        "name": "Glute bridge",
        "category": "strengthening",
        "methods": ["stabilization"],
        "summary": (
            "Lifting the hips from lying with the spine braced in neutral, to "
            "strengthen the gluteal muscles."
        ),
        "instructions": [
            "Lie on your back with your knees bent and feet flat, hip-width apart.",
            "Brace your stomach and squeeze your buttocks.",
            "Lift your hips until your body is in a straight line from shoulders to knees.",
            "Do not arch your back at the top. Hold for 5 seconds.",
            "Lower slowly and repeat.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {"sets": 2, "reps": 10, "hold_seconds": 5, "minutes": None, "times_per_day": 1},
        "contraindications": [],
    },
    {
        "slug": "hook-lying-march",
        "name": "Hook-lying march",
        "category": "strengthening",
        "methods": ["stabilization"],
        "summary": (
            "Lifting one foot at a time from crook lying while the brace keeps the pelvis level."
        ),
        "instructions": [
            "Lie on your back with your knees bent and feet flat.",
            "Brace your stomach and find your neutral spine.",
            "Slowly lift one foot a few inches off the floor, keeping your knee bent.",
            "Keep your pelvis level; do not let it rock or your back arch.",
            "Lower the foot and lift the other. Each side counts as one repetition.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {
            "sets": 2,
            "reps": 10,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": 1,
        },
        "contraindications": [],
    },
    {
        "slug": "side-plank-knees",
        "name": "Side plank on knees",
        "category": "strengthening",
        "methods": ["stabilization"],
        "summary": (
            "Holding the body straight on one forearm and the knees, for lateral trunk "
            "endurance with a low spinal load."
        ),
        "instructions": [
            "Lie on your side with your knees bent behind you and your elbow under your shoulder.",
            "Brace your stomach.",
            "Lift your hips so your body is in a straight line from head to knees.",
            "Hold for 10 seconds, breathing normally, then lower.",
            "Do all repetitions on one side, then turn over and do the other side.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {"sets": 1, "reps": 5, "hold_seconds": 10, "minutes": None, "times_per_day": 1},
        "contraindications": [],
    },
    {
        "slug": "side-plank-full",
        "name": "Side plank",
        "category": "strengthening",
        "methods": ["stabilization"],
        "summary": (
            "Holding the body straight on one forearm and the feet, the progression of "
            "the side plank on knees."
        ),
        "instructions": [
            "Lie on your side with your legs straight, feet stacked or one in front of the "
            "other, elbow under your shoulder.",
            "Brace your stomach.",
            "Lift your hips so your body is in a straight line from head to feet.",
            "Hold for 10 seconds, breathing normally, then lower.",
            "Do all repetitions on one side, then the other.",
            "Go back to the knee version if you cannot keep your hips up.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {"sets": 1, "reps": 5, "hold_seconds": 10, "minutes": None, "times_per_day": 1},
        "contraindications": [],
    },
    {
        "slug": "mcgill-curl-up",
        "name": "McGill curl-up",
        "category": "strengthening",
        "methods": ["stabilization"],
        "summary": (
            "A small lift of the head and shoulders with the low back supported in "
            "neutral, training the abdominals without bending the lumbar spine."
        ),
        "instructions": [
            "Lie on your back with one knee bent and the other leg straight.",
            "Slide your hands, palms down, under the curve of your low back to support it.",
            "Brace your stomach.",
            "Lift your head and shoulders just an inch or two off the floor. Keep your chin "
            "tucked and do not bend your low back.",
            "Hold for 8 seconds, then lower. Switch which leg is bent halfway through.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {"sets": 1, "reps": 6, "hold_seconds": 8, "minutes": None, "times_per_day": 1},
        "contraindications": [],
    },
    {
        "slug": "front-plank",
        "name": "Front plank",
        "category": "strengthening",
        "methods": ["stabilization"],
        "summary": (
            "Holding a straight body on the forearms and toes (or knees), for "
            "abdominal endurance around a neutral spine."
        ),
        "instructions": [
            "Lie face down, then prop yourself on your forearms, elbows under shoulders.",
            "Brace your stomach and lift your body onto your toes, or your knees to start.",
            "Keep a straight line from head to heels; do not let your back sag or your hips "
            "pike up.",
            "Hold for 10 seconds, breathing normally, then lower.",
            "Add time only when you can hold good form throughout.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {"sets": 1, "reps": 5, "hold_seconds": 10, "minutes": None, "times_per_day": 1},
        "contraindications": [],
    },
    {
        "slug": "stability-ball-bridge",
        "name": "Stability ball bridge",
        "category": "strengthening",
        "methods": ["stabilization"],
        "summary": (
            "A bridge with the heels on an exercise ball, adding balance demand to trunk "
            "and gluteal control."
        ),
        "instructions": [
            "Lie on your back with your heels and lower calves resting on an exercise ball.",
            "Rest your arms on the floor at your sides for balance.",
            "Brace your stomach and lift your hips until your body is straight.",
            "Keep the ball still. Hold for 3 seconds, then lower slowly.",
            "Do not arch your back at the top.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {"sets": 2, "reps": 10, "hold_seconds": 3, "minutes": None, "times_per_day": 1},
        "contraindications": [],
    },
    {
        "slug": "pallof-press",
        "name": "Pallof press",
        "category": "strengthening",
        "methods": ["stabilization"],
        "summary": (
            "Pressing a band straight out from the chest while resisting its pull to "
            "rotate, for anti-rotation trunk control."
        ),
        "instructions": [
            "Tie a resistance band to something solid at chest height.",
            "Stand side-on to it, feet hip-width apart, holding the band at your chest "
            "with both hands.",
            "Brace your stomach.",
            "Press your hands straight out in front of you. Do not let the band turn your body.",
            "Hold for 3 seconds, then bring your hands back to your chest.",
            "Do all repetitions facing one way, then turn around.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {"sets": 2, "reps": 10, "hold_seconds": 3, "minutes": None, "times_per_day": 1},
        "contraindications": [],
    },
    {
        "slug": "band-row",
        "name": "Resistance band row",
        "category": "strengthening",
        "methods": ["stabilization"],
        "summary": (
            "Rowing a band toward the body from a braced, neutral stance, for upper "
            "back strength without moving the low back."
        ),
        "instructions": [
            "Tie a resistance band to something solid at waist height.",
            "Stand facing it with your knees slightly bent, holding an end in each hand.",
            "Brace your stomach and keep your back still.",
            "Pull your elbows back, squeezing your shoulder blades together.",
            "Return slowly and repeat.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {
            "sets": 2,
            "reps": 12,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": 1,
        },
        "contraindications": [],
    },
    {
        "slug": "hip-hinge-lift",
        "name": "Functional lifting (hip hinge and squat lift)",
        "category": "strengthening",
        "methods": ["stabilization"],
        "summary": (
            "Practising lifts with a braced neutral spine, bending at the hips and knees, "
            "to carry stabilization into daily tasks."
        ),
        "instructions": [
            "Stand close to a light box or bag, feet shoulder-width apart.",
            "Brace your stomach and keep your back straight.",
            "Push your hips back and bend your knees to lower yourself to the load.",
            "Hold the load close to your body and stand up by straightening your hips and knees.",
            "Lower it the same way. Turn with your feet, never by twisting your back.",
            "Start light and add weight only when the movement feels easy.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {
            "sets": 2,
            "reps": 10,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": 1,
        },
        "contraindications": [],
    },
    {
        "slug": "prone-back-extension",
        "name": "Superman (prone back extension)",
        "category": "strengthening",
        "methods": ["stabilization"],
        "summary": (
            "Lifting the arms and legs from lying face down, strengthening the back "
            "extensors against gravity; a late-stage exercise."
        ),
        "instructions": [
            "Lie face down with your arms stretched out in front of you.",
            "Brace your stomach and squeeze your buttocks.",
            "Lift your arms, chest and legs a few inches off the floor.",
            "Keep your neck long and look at the floor. Hold for 3 seconds.",
            "Lower slowly and rest a moment between repetitions.",
            "Make it easier by lifting only your arms or only your legs.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {"sets": 2, "reps": 8, "hold_seconds": 3, "minutes": None, "times_per_day": 1},
        "contraindications": [
            {
                "cause": "spinal_stenosis",
                "reason": (
                    "Loaded lumbar extension against gravity narrows the canal and "
                    "foramina and can provoke neurogenic claudication in spinal stenosis."
                ),
            },
            {
                "cause": "spondylolisthesis",
                "reason": (
                    "Loaded lumbar extension with high extensor force increases pars "
                    "loading and shear at the slipped level in spondylolisthesis."
                ),
            },
        ],
    },
    # --------------------------------------------------------------- Stretching
    {
        "slug": "supine-piriformis-stretch",
        "name": "Piriformis stretch lying down",
        "category": "stretching",
        "methods": [],
        "summary": (
            "Pulling one knee toward the opposite shoulder while lying on the back, to "
            "stretch the piriformis and deep buttock muscles."
        ),
        "instructions": [
            "Lie on your back with both knees bent and feet flat.",
            "Hold the knee of your sore side with both hands.",
            "Gently pull that knee across your body toward the opposite shoulder.",
            "Keep your low back resting on the floor.",
            "Hold for 30 seconds while breathing slowly, then let go.",
            "Stretch to a gentle pull in your buttock, never into pain.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {"sets": 1, "reps": 3, "hold_seconds": 30, "minutes": None, "times_per_day": 2},
        "contraindications": [],
    },
    {
        "slug": "figure-four-stretch",
        "name": "Figure-four piriformis stretch",
        "category": "stretching",
        "methods": [],
        "summary": (
            "Crossing the ankle over the opposite knee and drawing the legs toward the "
            "chest, a stronger piriformis and hip rotator stretch."
        ),
        "instructions": [
            "Lie on your back with both knees bent and feet flat.",
            "Cross the ankle of your sore side over the opposite knee.",
            "Reach through and hold the back of your other thigh.",
            "Pull that thigh gently toward you until you feel a stretch in your buttock.",
            "Keep your head and low back on the floor. Hold for 30 seconds.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {"sets": 1, "reps": 3, "hold_seconds": 30, "minutes": None, "times_per_day": 2},
        "contraindications": [],
    },
    {
        "slug": "seated-piriformis-stretch",
        "name": "Seated piriformis stretch",
        "category": "stretching",
        "methods": [],
        "summary": (
            "A figure-four stretch in a chair, leaning forward from the hips; easy to do "
            "during breaks from sitting."
        ),
        "instructions": [
            "Sit tall on a steady chair with both feet flat.",
            "Rest the ankle of your sore side on the opposite knee.",
            "Keeping your back straight, lean forward from your hips until you feel a "
            "stretch in your buttock.",
            "Do not round your back to go further.",
            "Hold for 30 seconds, then sit up.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {"sets": 1, "reps": 3, "hold_seconds": 30, "minutes": None, "times_per_day": 2},
        "contraindications": [],
    },
    {
        "slug": "supine-hamstring-stretch",
        "name": "Hamstring stretch lying down (with strap)",
        "category": "stretching",
        "methods": [],
        "summary": (
            "Raising a straight leg with a strap around the foot to stretch the "
            "hamstrings with the back supported."
        ),
        "instructions": [
            "Lie on your back with both knees bent.",
            "Loop a strap, belt or towel around the sole of one foot.",
            "Straighten that leg toward the ceiling, using the strap to help.",
            "Raise it until you feel a gentle stretch behind your thigh, not in your calf or foot.",
            "Hold for 30 seconds, then lower. Do both legs.",
            "Tingling or pain running into your foot means the nerve is stretched too far: "
            "lower the leg and tell your therapist.",
        ],
        "dosage": {"sets": 1, "reps": 3, "hold_seconds": 30, "minutes": None, "times_per_day": 2},
        "contraindications": [],
    },
    {
        "slug": "seated-hamstring-stretch",
        "name": "Seated hamstring stretch",
        "category": "stretching",
        "methods": [],
        "summary": (
            "Hinging forward from the hips with one leg straight out from a chair, a "
            "hamstring stretch that keeps the back straight."
        ),
        "instructions": [
            "Sit on the front edge of a steady chair.",
            "Straighten one leg out in front of you, heel on the floor, toes up.",
            "Sit tall and lean forward from your hips, keeping your back straight.",
            "Stop when you feel a gentle stretch behind your thigh.",
            "Hold for 30 seconds, then sit up. Do both legs.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {"sets": 1, "reps": 3, "hold_seconds": 30, "minutes": None, "times_per_day": 2},
        "contraindications": [],
    },
    {
        "slug": "childs-pose",
        "name": "Child's pose",
        "category": "stretching",
        "methods": [],
        "summary": (
            "Sitting back onto the heels with the arms reaching forward, a gentle "
            "low-back flexion stretch."
        ),
        "instructions": [
            "Kneel on the floor with your knees apart and your big toes touching.",
            "Sit back toward your heels.",
            "Walk your hands forward and rest your chest and forehead down.",
            "Let your back relax and breathe slowly.",
            "Hold for 30 seconds, then walk your hands back and sit up slowly.",
            "Put a pillow under your hips or chest if you cannot reach the floor.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {"sets": 1, "reps": 3, "hold_seconds": 30, "minutes": None, "times_per_day": 2},
        "contraindications": [
            {
                "cause": "herniated_disc",
                "reason": (
                    "Child's pose holds the lumbar spine in sustained flexion, which loads "
                    "a posterior disc herniation and can peripheralize symptoms."
                ),
            },
        ],
    },
    {
        "slug": "knee-to-chest-single",
        "name": "Single knee-to-chest stretch",
        "category": "stretching",
        "methods": [],
        "summary": (
            "Drawing one knee toward the chest while lying down, a gentle stretch for "
            "the low back and buttock."
        ),
        "instructions": [
            "Lie on your back with both knees bent and feet flat.",
            "Hold one knee with both hands and pull it gently toward your chest.",
            "Keep the other foot on the floor.",
            "Hold for 30 seconds, then lower and change legs.",
            "Stretch to a gentle pull, never into pain.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {"sets": 1, "reps": 3, "hold_seconds": 30, "minutes": None, "times_per_day": 2},
        "contraindications": [
            {
                "cause": "herniated_disc",
                "reason": (
                    "Pulling the knee to the chest flexes the lumbar spine and tilts the "
                    "pelvis back, loading a posterior disc herniation."
                ),
            },
        ],
    },
    {
        "slug": "sciatic-nerve-glide",
        "name": "Sciatic nerve glide",
        "category": "stretching",
        "methods": [],
        "summary": (
            "Straightening the knee while looking up and bending it while looking down, "
            "to slide the sciatic nerve gently without stretching it."
        ),
        "instructions": [
            "Sit tall on a chair with both feet on the floor.",
            "Straighten the knee of your sore leg and pull your toes up, while you tip "
            "your head back to look up.",
            "Then bend the knee back down and point your toes, while you bring your chin "
            "down to your chest.",
            "Move smoothly between the two, with no holding.",
            "Repeat 10 times. You may feel a mild pull, which should fade as soon as you stop.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {
            "sets": 1,
            "reps": 10,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": 2,
        },
        "contraindications": [],
    },
    {
        "slug": "hip-flexor-stretch",
        "name": "Hip flexor stretch (half-kneeling)",
        "category": "stretching",
        "methods": [],
        "summary": (
            "A half-kneeling lunge with the pelvis tucked under, stretching the front of "
            "the hip without arching the low back."
        ),
        "instructions": [
            "Kneel on one knee on a cushion, with the other foot flat in front of you.",
            "Tighten your stomach and buttocks to tuck your tailbone under.",
            "Shift your weight gently forward until you feel a stretch at the front of the "
            "hip of the kneeling leg.",
            "Keep your upper body upright; do not arch your back.",
            "Hold for 30 seconds, then change sides.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {"sets": 1, "reps": 3, "hold_seconds": 30, "minutes": None, "times_per_day": 2},
        "contraindications": [],
    },
    # ------------------------------------------------------- Low-impact aerobic
    {
        "slug": "walking",
        "name": "Walking",
        "category": "low_impact_aerobic",
        "methods": [],
        "summary": (
            "Regular walking at a comfortable pace, building time gradually, to keep "
            "blood and nutrients moving to the healing tissues."
        ),
        "instructions": [
            "Walk on flat, even ground in supportive shoes.",
            "Go at a pace where you can still talk comfortably.",
            "Stand tall and let your arms swing naturally.",
            "Start with the time your therapist sets and add a few minutes each week.",
            "If your leg starts to hurt, slow down or rest for a minute, then carry on.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {
            "sets": None,
            "reps": None,
            "hold_seconds": None,
            "minutes": 10,
            "times_per_day": 2,
        },
        "contraindications": [],
    },
    {
        "slug": "swimming",
        "name": "Swimming",
        "category": "low_impact_aerobic",
        "methods": [],
        "summary": (
            "Easy lap swimming with the body supported by the water, conditioning the "
            "heart and muscles with little load on the spine."
        ),
        "instructions": [
            "Warm up with a few minutes of easy walking or kicking in the water.",
            "Swim gentle laps of front crawl or backstroke.",
            "Avoid butterfly, and breaststroke with your head held up out of the water; "
            "both arch your back.",
            "Rest at the wall whenever you need to.",
            "Start with the time your therapist sets and build up slowly.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {
            "sets": None,
            "reps": None,
            "hold_seconds": None,
            "minutes": 20,
            "times_per_day": 1,
        },
        "contraindications": [],
    },
    {
        "slug": "pool-walking",
        "name": "Pool walking (aquatic therapy)",
        "category": "low_impact_aerobic",
        "methods": [],
        "summary": (
            "Walking in waist- to chest-deep water, where buoyancy unloads the spine, "
            "for people who cannot yet walk or swim comfortably on land."
        ),
        "instructions": [
            "Stand in water between waist and chest deep.",
            "Walk forward with long, easy steps, swinging your arms.",
            "Stand tall and keep your stomach gently braced.",
            "Try walking backward and sideways too, if your therapist suggests it.",
            "Keep a pace where you can talk comfortably.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {
            "sets": None,
            "reps": None,
            "hold_seconds": None,
            "minutes": 15,
            "times_per_day": 1,
        },
        "contraindications": [],
    },
    {
        "slug": "stationary-cycling",
        "name": "Stationary cycling",
        "category": "low_impact_aerobic",
        "methods": [],
        "summary": (
            "Pedalling an upright or recumbent exercise bike at light resistance, "
            "aerobic work in a supported sitting position."
        ),
        "instructions": [
            "Set the seat so your knee is only slightly bent at the bottom of the pedal stroke.",
            "A bike with a back rest (recumbent) is often most comfortable.",
            "Pedal at an easy, steady pace with low resistance.",
            "Sit tall rather than hunching over the handlebars.",
            "Start with the time your therapist sets and add a few minutes each week.",
            _STOP_IF_SPREADS,
        ],
        "dosage": {
            "sets": None,
            "reps": None,
            "hold_seconds": None,
            "minutes": 10,
            "times_per_day": 1,
        },
        "contraindications": [],
    },
    # ---------------------------------------------------------------- Self-care
    {
        "slug": "heat-pack",
        "name": "Heat pack",
        "category": "self_care",
        "methods": [],
        "summary": (
            "Moist or dry heat on the low back or buttock for up to 15 minutes to ease "
            "muscle spasm and stiffness."
        ),
        "instructions": [
            "Wrap a heat pack or hot water bottle in a towel. Never put it straight on your skin.",
            "Lie or sit comfortably and place it on your low back or buttock.",
            "Leave it on for up to 15 minutes, no longer.",
            "Check your skin: take it off if your skin gets very red, blotchy or too hot.",
            "Do not fall asleep on a heat pack, and do not use it on numb skin.",
            "You can repeat this several times a day.",
        ],
        "dosage": {
            "sets": None,
            "reps": None,
            "hold_seconds": None,
            "minutes": 15,
            "times_per_day": 3,
        },
        "contraindications": [],
    },
    {
        "slug": "cold-pack",
        "name": "Cold pack",
        "category": "self_care",
        "methods": [],
        "summary": (
            "An ice or gel cold pack on the painful area for up to 15 minutes to calm "
            "pain, especially during a flare-up or after activity."
        ),
        "instructions": [
            "Wrap an ice pack, gel pack or bag of frozen peas in a thin damp towel.",
            "Never put ice straight on your skin.",
            "Place it on the most painful spot in your low back or buttock.",
            "Leave it on for up to 15 minutes, no longer.",
            "Take it off early if your skin goes numb, white or hurts.",
            "You can repeat this several times a day, with at least an hour between.",
        ],
        "dosage": {
            "sets": None,
            "reps": None,
            "hold_seconds": None,
            "minutes": 15,
            "times_per_day": 3,
        },
        "contraindications": [],
    },
    {
        "slug": "sitting-posture-lumbar-roll",
        "name": "Sitting posture with a lumbar roll",
        "category": "self_care",
        "methods": ["mckenzie"],
        "summary": (
            "Sitting with a lumbar roll behind the small of the back to keep a gentle "
            "inward curve instead of slouching."
        ),
        "instructions": [
            "Sit well back in your chair.",
            "Place a lumbar roll or a rolled-up towel behind the small of your back, "
            "just above your belt line.",
            "Let it hold a gentle inward curve in your low back, without straining.",
            "Keep your feet flat and your knees level with or slightly below your hips.",
            "Use the roll every time you sit, including in the car.",
            "Get up and move at least every 30 to 45 minutes.",
        ],
        "dosage": {
            "sets": None,
            "reps": None,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": None,
        },
        "contraindications": [],
    },
    {
        "slug": "lifting-technique",
        "name": "Safe lifting technique",
        "category": "self_care",
        "methods": [],
        "summary": (
            "Everyday lifting with the load close, the back straight and the legs doing "
            "the work, to avoid re-injuring the back."
        ),
        "instructions": [
            "Stand close to the object with your feet apart.",
            "Bend at your hips and knees, not at your back.",
            "Tighten your stomach and hold the object close to your body.",
            "Lift by straightening your legs, smoothly and without jerking.",
            "Turn by moving your feet. Do not twist your back while holding a load.",
            "Ask for help or split the load when something is heavy or awkward.",
            "After lifting, stand up straight and bend backward a few times if your "
            "therapist has shown you how.",
        ],
        "dosage": {
            "sets": None,
            "reps": None,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": None,
        },
        "contraindications": [],
    },
    {
        "slug": "movement-breaks",
        "name": "Movement breaks from sitting",
        "category": "self_care",
        "methods": [],
        "summary": (
            "Getting up from sitting, or changing position after standing, every 30 to 45 "
            "minutes for a couple of minutes of walking."
        ),
        "instructions": [
            "Set a timer for every 30 to 45 minutes when you sit or stand for long.",
            "When it goes off, get up and walk around for 2 minutes.",
            "If you have been standing, sit or change position for a while instead.",
            "Do any exercise your therapist has given you for breaks.",
            "Avoid long car journeys without stops where you can.",
        ],
        "dosage": {
            "sets": None,
            "reps": None,
            "hold_seconds": None,
            "minutes": 2,
            "times_per_day": 8,
        },
        "contraindications": [],
    },
    {
        "slug": "sleeping-positions",
        "name": "Comfortable sleeping positions",
        "category": "self_care",
        "methods": [],
        "summary": (
            "Lying positions with pillow support that keep the spine comfortable through the night."
        ),
        "instructions": [
            "Use a mattress that supports you without sagging.",
            "On your side: bend your knees a little and put a pillow between them.",
            "On your back: put a pillow under your knees.",
            "Try the position that eases your leg pain most; your therapist can advise.",
            "To get out of bed, roll onto your side, drop your legs over the edge and push "
            "up with your arms.",
        ],
        "dosage": {
            "sets": None,
            "reps": None,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": None,
        },
        "contraindications": [],
    },
]


TEMPLATES: list[dict] = [
    {
        "slug": "mckenzie-extension",
        "name": "McKenzie extension program",
        "method": "mckenzie",
        "description": (
            "For a derangement with an extension directional preference, the most common "
            "pattern in disc-related sciatica. Repeated extension movements reduce the "
            "derangement and centralize leg pain; posture correction and standing "
            "extension then keep it reduced, and lifting habits prevent recurrence. Stop "
            "any movement that peripheralizes symptoms."
        ),
        "phases": [
            {
                "name": "Reduce and centralize",
                "goal": "Bring leg pain back toward the spine with repeated extension in lying.",
                "weeks": 2,
                "exercises": [
                    {
                        "exercise": "prone-lying",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 3,
                        "times_per_day": 8,
                    },
                    {
                        "exercise": "prone-on-elbows",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 3,
                        "times_per_day": 8,
                    },
                    {
                        "exercise": "prone-press-up",
                        "sets": 1,
                        "reps": 10,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": 8,
                    },
                    {
                        "exercise": "sitting-posture-lumbar-roll",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": None,
                    },
                ],
            },
            {
                "name": "Maintain and recover function",
                "goal": (
                    "Keep symptoms centralized while restoring extension range and normal "
                    "sitting posture."
                ),
                "weeks": 3,
                "exercises": [
                    {
                        "exercise": "prone-press-up",
                        "sets": 1,
                        "reps": 10,
                        "hold_seconds": 10,
                        "minutes": None,
                        "times_per_day": 4,
                    },
                    {
                        "exercise": "standing-extension",
                        "sets": 1,
                        "reps": 10,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": 6,
                    },
                    {
                        "exercise": "slouch-overcorrect",
                        "sets": 1,
                        "reps": 10,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": 3,
                    },
                    {
                        "exercise": "sitting-posture-lumbar-roll",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": None,
                    },
                    {
                        "exercise": "walking",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 15,
                        "times_per_day": 2,
                    },
                ],
            },
            {
                "name": "Prevent recurrence",
                "goal": (
                    "Make extension after sitting and lifting a habit and return to full activity."
                ),
                "weeks": 4,
                "exercises": [
                    {
                        "exercise": "standing-extension",
                        "sets": 1,
                        "reps": 10,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": 4,
                    },
                    {
                        "exercise": "prone-press-up",
                        "sets": 1,
                        "reps": 10,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": 2,
                    },
                    {
                        "exercise": "lifting-technique",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": None,
                    },
                    {
                        "exercise": "movement-breaks",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 2,
                        "times_per_day": 8,
                    },
                    {
                        "exercise": "walking",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 30,
                        "times_per_day": 1,
                    },
                ],
            },
        ],
    },
    {
        "slug": "mckenzie-flexion",
        "name": "McKenzie flexion program",
        "method": "mckenzie",
        "description": (
            "For patients whose symptoms reduce or centralize with repeated flexion, "
            "typical of lumbar spinal stenosis and some cases of spondylolisthesis. "
            "Flexion progresses from lying to sitting to standing, with flexed-posture "
            "conditioning (cycling) and walking built up in intervals. Not for a "
            "herniated disc unless flexion is the tested directional preference."
        ),
        "phases": [
            {
                "name": "Reduce symptoms with flexion",
                "goal": "Ease leg symptoms with repeated flexion in lying and restful positions.",
                "weeks": 2,
                "exercises": [
                    {
                        "exercise": "flexion-in-lying",
                        "sets": 1,
                        "reps": 10,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": 6,
                    },
                    {
                        "exercise": "sleeping-positions",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": None,
                    },
                    {
                        "exercise": "movement-breaks",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 2,
                        "times_per_day": 8,
                    },
                ],
            },
            {
                "name": "Progress flexion",
                "goal": "Add flexion in sitting and start low-load conditioning.",
                "weeks": 3,
                "exercises": [
                    {
                        "exercise": "flexion-in-lying",
                        "sets": 1,
                        "reps": 10,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": 3,
                    },
                    {
                        "exercise": "flexion-in-sitting",
                        "sets": 1,
                        "reps": 10,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": 4,
                    },
                    {
                        "exercise": "stationary-cycling",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 10,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "movement-breaks",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 2,
                        "times_per_day": 8,
                    },
                ],
            },
            {
                "name": "Restore function and prevent recurrence",
                "goal": "Flex freely in standing, build walking tolerance and lift safely.",
                "weeks": 3,
                "exercises": [
                    {
                        "exercise": "flexion-in-standing",
                        "sets": 1,
                        "reps": 10,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": 3,
                    },
                    {
                        "exercise": "flexion-in-sitting",
                        "sets": 1,
                        "reps": 10,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": 2,
                    },
                    {
                        "exercise": "stationary-cycling",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 20,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "walking",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 15,
                        "times_per_day": 2,
                    },
                    {
                        "exercise": "lifting-technique",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": None,
                    },
                ],
            },
        ],
    },
    {
        "slug": "dynamic-lumbar-stabilization",
        "name": "Dynamic Lumbar Stabilization",
        "method": "stabilization",
        "description": (
            "Saal's progression over about 8 weeks: find neutral spine and learn "
            "abdominal bracing, add arm and leg movement around a braced spine, build "
            "endurance with planks and curl-ups, then ball, band and functional lifting "
            "work. Build repetitions before moving to harder variants."
        ),
        "phases": [
            {
                "name": "Neutral spine and bracing",
                "goal": "Find a comfortable neutral spine and hold an abdominal brace.",
                "weeks": 2,
                "exercises": [
                    {
                        "exercise": "neutral-spine-pelvic-tilts",
                        "sets": 1,
                        "reps": 10,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": 2,
                    },
                    {
                        "exercise": "abdominal-bracing",
                        "sets": 1,
                        "reps": 10,
                        "hold_seconds": 5,
                        "minutes": None,
                        "times_per_day": 3,
                    },
                    {
                        "exercise": "walking",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 10,
                        "times_per_day": 2,
                    },
                ],
            },
            {
                "name": "Arm and leg movement",
                "goal": "Keep the brace while the arms and legs move.",
                "weeks": 2,
                "exercises": [
                    {
                        "exercise": "abdominal-bracing",
                        "sets": 1,
                        "reps": 10,
                        "hold_seconds": 5,
                        "minutes": None,
                        "times_per_day": 2,
                    },
                    {
                        "exercise": "hook-lying-march",
                        "sets": 2,
                        "reps": 10,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "dead-bug",
                        "sets": 2,
                        "reps": 10,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "bird-dog",
                        "sets": 2,
                        "reps": 10,
                        "hold_seconds": 5,
                        "minutes": None,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "glute-bridge",
                        "sets": 2,
                        "reps": 10,
                        "hold_seconds": 5,
                        "minutes": None,
                        "times_per_day": 1,
                    },
                ],
            },
            {
                "name": "Endurance",
                "goal": "Build trunk endurance with planks and curl-ups.",
                "weeks": 2,
                "exercises": [
                    {
                        "exercise": "bird-dog",
                        "sets": 3,
                        "reps": 10,
                        "hold_seconds": 8,
                        "minutes": None,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "side-plank-knees",
                        "sets": 1,
                        "reps": 5,
                        "hold_seconds": 10,
                        "minutes": None,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "mcgill-curl-up",
                        "sets": 1,
                        "reps": 6,
                        "hold_seconds": 8,
                        "minutes": None,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "front-plank",
                        "sets": 1,
                        "reps": 5,
                        "hold_seconds": 10,
                        "minutes": None,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "glute-bridge",
                        "sets": 3,
                        "reps": 10,
                        "hold_seconds": 5,
                        "minutes": None,
                        "times_per_day": 1,
                    },
                ],
            },
            {
                "name": "Ball, band and functional work",
                "goal": "Control the spine under load, balance and resistance, and lift safely.",
                "weeks": 2,
                "exercises": [
                    {
                        "exercise": "side-plank-full",
                        "sets": 1,
                        "reps": 5,
                        "hold_seconds": 10,
                        "minutes": None,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "front-plank",
                        "sets": 1,
                        "reps": 5,
                        "hold_seconds": 20,
                        "minutes": None,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "stability-ball-bridge",
                        "sets": 2,
                        "reps": 10,
                        "hold_seconds": 3,
                        "minutes": None,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "pallof-press",
                        "sets": 2,
                        "reps": 10,
                        "hold_seconds": 3,
                        "minutes": None,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "band-row",
                        "sets": 2,
                        "reps": 12,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "prone-back-extension",
                        "sets": 2,
                        "reps": 8,
                        "hold_seconds": 3,
                        "minutes": None,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "hip-hinge-lift",
                        "sets": 2,
                        "reps": 10,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": 1,
                    },
                ],
            },
        ],
    },
    {
        "slug": "piriformis-hamstring-stretching",
        "name": "Piriformis and hamstring stretching",
        "method": "stretching",
        "description": (
            "For piriformis syndrome and tight posterior-chain muscles: stretches for the "
            "piriformis and hamstrings, gentle low-back stretches and a sciatic nerve "
            "glide. Each stretch goes to a gentle pull only; any stretch that increases "
            "leg pain is stopped."
        ),
        "phases": [
            {
                "name": "Gentle stretching",
                "goal": "Ease buttock and hamstring tightness with supported stretches.",
                "weeks": 2,
                "exercises": [
                    {
                        "exercise": "supine-piriformis-stretch",
                        "sets": 1,
                        "reps": 3,
                        "hold_seconds": 30,
                        "minutes": None,
                        "times_per_day": 2,
                    },
                    {
                        "exercise": "supine-hamstring-stretch",
                        "sets": 1,
                        "reps": 3,
                        "hold_seconds": 30,
                        "minutes": None,
                        "times_per_day": 2,
                    },
                    {
                        "exercise": "knee-to-chest-single",
                        "sets": 1,
                        "reps": 3,
                        "hold_seconds": 30,
                        "minutes": None,
                        "times_per_day": 2,
                    },
                    {
                        "exercise": "childs-pose",
                        "sets": 1,
                        "reps": 3,
                        "hold_seconds": 30,
                        "minutes": None,
                        "times_per_day": 2,
                    },
                    {
                        "exercise": "sciatic-nerve-glide",
                        "sets": 1,
                        "reps": 10,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": 2,
                    },
                ],
            },
            {
                "name": "Deeper stretching",
                "goal": "Stretch the piriformis, hamstrings and hip flexors; glide the nerve.",
                "weeks": 3,
                "exercises": [
                    {
                        "exercise": "figure-four-stretch",
                        "sets": 1,
                        "reps": 3,
                        "hold_seconds": 30,
                        "minutes": None,
                        "times_per_day": 2,
                    },
                    {
                        "exercise": "seated-piriformis-stretch",
                        "sets": 1,
                        "reps": 3,
                        "hold_seconds": 30,
                        "minutes": None,
                        "times_per_day": 2,
                    },
                    {
                        "exercise": "seated-hamstring-stretch",
                        "sets": 1,
                        "reps": 3,
                        "hold_seconds": 30,
                        "minutes": None,
                        "times_per_day": 2,
                    },
                    {
                        "exercise": "hip-flexor-stretch",
                        "sets": 1,
                        "reps": 3,
                        "hold_seconds": 30,
                        "minutes": None,
                        "times_per_day": 2,
                    },
                    {
                        "exercise": "childs-pose",
                        "sets": 1,
                        "reps": 3,
                        "hold_seconds": 30,
                        "minutes": None,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "sciatic-nerve-glide",
                        "sets": 1,
                        "reps": 15,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": 2,
                    },
                ],
            },
        ],
    },
    {
        "slug": "low-impact-aerobic",
        "name": "Low-impact aerobic conditioning",
        "method": "aerobic",
        "description": (
            "Walking, cycling, pool walking and swimming, building time week by week. "
            "Regular low-impact activity moves fluid and nutrients to the injured tissue, "
            "releases endorphins and prevents the deconditioning that rest causes."
        ),
        "phases": [
            {
                "name": "Start moving",
                "goal": "Short, frequent sessions that do not increase leg pain.",
                "weeks": 2,
                "exercises": [
                    {
                        "exercise": "walking",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 10,
                        "times_per_day": 2,
                    },
                    {
                        "exercise": "stationary-cycling",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 10,
                        "times_per_day": 1,
                    },
                ],
            },
            {
                "name": "Build up",
                "goal": "Lengthen sessions and add pool work.",
                "weeks": 3,
                "exercises": [
                    {
                        "exercise": "walking",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 20,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "pool-walking",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 20,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "stationary-cycling",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 15,
                        "times_per_day": 1,
                    },
                ],
            },
            {
                "name": "Condition",
                "goal": "Reach 30 minutes of continuous low-impact activity.",
                "weeks": 3,
                "exercises": [
                    {
                        "exercise": "walking",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 30,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "swimming",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 30,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "stationary-cycling",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 20,
                        "times_per_day": 1,
                    },
                ],
            },
        ],
    },
    {
        "slug": "heat-and-cold",
        "name": "Heat and cold self-care",
        "method": "self_care",
        "description": (
            "Cold or heat packs, up to 15 minutes at a time and several times a day, with "
            "movement breaks and comfortable sleeping positions. Cold tends to suit a "
            "fresh flare-up and heat a stiff back; the patient uses whichever eases pain."
        ),
        "phases": [
            {
                "name": "Calm a flare-up",
                "goal": "Ease pain while staying active.",
                "weeks": 1,
                "exercises": [
                    {
                        "exercise": "cold-pack",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 15,
                        "times_per_day": 4,
                    },
                    {
                        "exercise": "movement-breaks",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 2,
                        "times_per_day": 8,
                    },
                    {
                        "exercise": "sleeping-positions",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": None,
                        "times_per_day": None,
                    },
                ],
            },
            {
                "name": "Ease stiffness",
                "goal": "Relax muscle spasm with heat and use cold after activity.",
                "weeks": 3,
                "exercises": [
                    {
                        "exercise": "heat-pack",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 15,
                        "times_per_day": 3,
                    },
                    {
                        "exercise": "cold-pack",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 15,
                        "times_per_day": 1,
                    },
                    {
                        "exercise": "movement-breaks",
                        "sets": None,
                        "reps": None,
                        "hold_seconds": None,
                        "minutes": 2,
                        "times_per_day": 8,
                    },
                ],
            },
        ],
    },
]
