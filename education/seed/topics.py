"""Seed content: the education topics patients read in the app.

Plain data, loaded by `education.seed.loader.load_topics`. Written for a patient
reading on a phone, in the words of the exercise library (programs/seed/library.py).
`causes` holds values of `patients.models.Cause`, `phases` values of `Chronicity`;
empty means the topic fits everyone. `body` is a tuple of paragraphs.

General topics come first in `order` with the emergency signs at the top: whichever
topics fit a patient's cause and phase are listed before them.
"""

from __future__ import annotations

from typing import TypedDict


class TopicSpec(TypedDict):
    slug: str
    title: str
    summary: str
    body: tuple[str, ...]
    causes: list[str]
    phases: list[str]
    order: int


TOPICS: list[TopicSpec] = [
    # ------------------------------------------------------------------ general
    {
        "slug": "when-to-seek-emergency-care",
        "title": "When to seek emergency care",
        "summary": (
            "A few rare symptoms can mean the nerves at the base of your spine are under "
            "pressure. They need same-day emergency care, not exercise."
        ),
        "body": (
            "Most sciatica settles within 6 to 12 weeks. A few symptoms are different: they "
            "can mean pressure on the bundle of nerves at the base of the spine (cauda "
            "equina) and need to be seen the same day.",
            "Go to an emergency department or call your local emergency number now if you "
            "notice any of these: new loss of control of your bladder or bowels (you cannot "
            "pass urine, you leak, or the stream is weak); numbness around your genitals, "
            "your bottom or the inside of your thighs (where you would sit on a saddle); "
            "leg weakness that is getting worse; your foot dropping or catching as you walk "
            "(foot drop); or symptoms spreading into both legs.",
            "Do not wait for your next appointment and do not carry on with your exercises. "
            "You can report these symptoms in the app too, which alerts your therapist and "
            "pauses your program, but the app is not a substitute for emergency care.",
            "Tell your therapist before your next session, too, if you have had cancer, are "
            "losing weight without trying, have a fever or a recent infection, have had a "
            "bad fall or an accident, take steroids or medicines that weaken the immune "
            "system, have ever injected drugs, are over 50 and this back pain is new, or "
            "have constant pain at night that no position eases. These are not emergencies, "
            "but a physician may need to see you before treatment goes on.",
        ),
        "causes": [],
        "phases": [],
        "order": 10,
    },
    {
        "slug": "keep-moving",
        "title": "Rest no more than a day or two, then keep moving",
        "summary": (
            "Rest in bed for a day or two at most. After that, gentle and regular "
            "activity is part of getting better."
        ),
        "body": (
            "When your leg hurts it is natural to want to lie still. A day or two of rest "
            "during a bad flare-up is fine, but staying in bed longer than that is not "
            "advised: lying still weakens the muscles that support your back.",
            "Movement helps healing. Low-impact activity such as walking, swimming or "
            "exercising in a pool moves fluid and nutrients to the injured tissue and "
            "releases endorphins, the body's own pain relievers.",
            "Start with short walks at a comfortable pace and build up as your therapist "
            "advises. Pain that spreads further down your leg, or that rises and stays "
            "raised, means you should stop and tell your therapist.",
            "Most sciatica settles within 6 to 12 weeks with this kind of care.",
        ),
        "causes": [],
        "phases": [],
        "order": 20,
    },
    {
        "slug": "positions-that-ease-sciatica",
        "title": "Positions and daily habits that ease sciatica",
        "summary": (
            "Support your low back when you sit, break up long sitting and standing, and "
            "use heat or cold for up to 15 minutes at a time."
        ),
        "body": (
            "Sitting: sit well back in your chair with a lumbar roll or a rolled-up towel "
            "behind the small of your back, so your low back keeps its natural curve. Use "
            "the roll in the car too.",
            "Breaks: do not sit or stand for long stretches. Get up and walk for a couple "
            "of minutes regularly, or sit down for a while if you have been standing. "
            "Break up long car journeys where you can.",
            "Lifting: stand close to the load, bend at your hips and knees rather than your "
            "back, hold it close and lift by straightening your legs. Turn with your feet "
            "instead of twisting, and ask for help with anything heavy or awkward.",
            "Heat and cold: a heat pack or a cold pack can ease the pain. Wrap the pack in "
            "a towel, never put it straight on your skin, and leave it "
            "on for up to 15 minutes at a time. You can repeat this several times a day. Do "
            "not use either on numb skin.",
        ),
        "causes": [],
        "phases": [],
        "order": 30,
    },
    {
        "slug": "exercises-as-directed",
        "title": "Do your exercises exactly as directed",
        "summary": (
            "Your program is chosen for the cause of your sciatica. Follow the steps, "
            "the number of repetitions and how often, and do not add exercises of your own."
        ),
        "body": (
            "The cause of sciatica decides which exercises help. A movement that eases one "
            "cause can aggravate another: bending backward can help a herniated disc but "
            "irritate a narrowed spinal canal, and bending forward the other way round. Your "
            "therapist chose your exercises for you.",
            "Follow each step in the app, and do the number of sets, repetitions and holds "
            "shown, as many times a day as your program says. Do not do more than your "
            "program says, and try not to skip days.",
            "Do not add exercises from videos or from friends without asking your therapist "
            "first. Bring your questions to your next visit, or ask through the clinic.",
            "Log each session in the app with your pain before and after, and how far down "
            "your leg the pain reaches. That is how your therapist sees whether the program "
            "is working and when to move you on to the next phase.",
        ),
        "causes": [],
        "phases": [],
        "order": 40,
    },
    {
        "slug": "stop-if-pain-increases",
        "title": "Stop any stretch that increases your pain",
        "summary": (
            "A stretch or exercise that makes your pain worse, or sends it further down "
            "your leg, should be stopped. Tell your therapist."
        ),
        "body": (
            "Stretch to a gentle pull, never into pain. If a stretch or exercise increases "
            "your pain and the pain stays raised afterwards, stop doing it and tell your "
            "therapist.",
            "Watch where the pain is, not just how strong it is. Pain moving out of your leg "
            "and toward the middle of your back is a good sign, even if your back aches a "
            "little more for a while. Pain spreading further down your leg, or numbness or "
            "tingling getting worse, is not: stop that movement.",
            'When you log a session in the app, an exercise is marked "stop and contact '
            'your therapist" and your therapist is told if your leg pain rises by 2 points '
            "or more, if the pain spreads further down your leg, or if your back pain rises "
            "by 2 points or more while the pain is not moving out of your leg. Do not "
            "restart it until your therapist has looked at it with you.",
        ),
        "causes": [],
        "phases": [],
        "order": 50,
    },
    {
        "slug": "who-treats-sciatica",
        "title": "Who treats sciatica",
        "summary": (
            "Physical therapists, physiatrists, chiropractors, osteopathic physicians and "
            "athletic trainers each have a part in treating sciatica."
        ),
        "body": (
            "Physical therapists assess how your back and leg respond to movement, prescribe "
            "and progress your exercise program, and teach you how to look after your back.",
            "Physiatrists are physicians who specialize in physical medicine and "
            "rehabilitation. They diagnose the cause of sciatica and guide your treatment.",
            "Chiropractors and osteopathic physicians (DOs) treat the spine with their hands, "
            "including spinal manipulation. Osteopathic physicians are physicians too.",
            "Certified athletic trainers help with exercise and a safe return to sport and "
            "activity, often alongside a physical therapist.",
            "In some US states you can see a physical therapist directly; others require a "
            "referral from a physician first. Your clinic can tell you which applies to you. "
            "Surgery is considered only when months of this kind of care have not helped.",
        ),
        "causes": [],
        "phases": [],
        "order": 60,
    },
    # ------------------------------------------------------------------ by cause
    {
        "slug": "herniated-disc",
        "title": "Sciatica from a herniated disc",
        "summary": (
            "Part of a disc between two vertebrae has pushed out and irritates a nerve root. "
            "Most herniations settle without surgery."
        ),
        "body": (
            "The discs between the vertebrae have a tough outer ring and a softer centre. "
            "When part of the centre pushes out through the ring (a herniated, slipped or "
            "displaced disc), it can press on and inflame one of the nerve roots that form "
            "the sciatic nerve.",
            "Most people with sciatica from a herniated disc get better within 6 to 12 "
            "weeks, without surgery.",
            "Many people with a herniated disc find that repeated bending backward, such as "
            "lying face down and pressing up on your hands, draws the pain out of the leg "
            "toward the back. That is why your program may include McKenzie extension "
            "exercises.",
            "Sitting slumped and bending forward, especially lifting while bent, load the "
            "disc. Use a lumbar roll when you sit, take breaks from sitting, and lift with "
            "your legs. Avoid forward-bending stretches unless your therapist has given them "
            "to you.",
        ),
        "causes": ["herniated_disc"],
        "phases": [],
        "order": 110,
    },
    {
        "slug": "spinal-stenosis",
        "title": "Sciatica from spinal stenosis",
        "summary": (
            "The spaces the nerves pass through have narrowed. Bending forward opens them "
            "and usually eases the leg pain."
        ),
        "body": (
            "In lumbar spinal stenosis the canal and openings the nerves run through have "
            "narrowed, so the nerves have less room. Walking "
            "or standing for a while can bring on pain, heaviness or tingling in the legs "
            "that eases when you sit down or lean forward.",
            "Bending forward (flexion) widens these spaces, so flexion usually eases the "
            "symptoms, and bending backward (extension) narrows them. Your program is likely "
            "to use flexion exercises such as knees to chest and avoid backward-bending ones.",
            "Leaning forward a little, as when you push a shopping cart, often makes walking "
            "easier for the same reason. Build up walking in short stretches with sitting "
            "breaks.",
            "Tell your therapist if the distance you can walk gets shorter, or if your legs "
            "feel weaker.",
        ),
        "causes": ["spinal_stenosis"],
        "phases": [],
        "order": 120,
    },
    {
        "slug": "piriformis-syndrome",
        "title": "Sciatica from piriformis syndrome",
        "summary": (
            "A muscle deep in the buttock, the piriformis, irritates the sciatic nerve. "
            "Gentle stretching and strengthening around the hip usually help."
        ),
        "body": (
            "The piriformis is a small muscle deep in the buttock, and the sciatic nerve runs "
            "right beside it. When the muscle is tight or in spasm it can irritate the nerve "
            "and send pain down the back of the leg.",
            "The pain often starts in the buttock, and long spells of sitting can make it worse.",
            "Your program will probably include piriformis and hamstring stretches and "
            "exercises that strengthen the muscles around your hip. Stretch to a gentle pull "
            "in your buttock, never into pain, and hold as long as your program says.",
            "Avoid sitting for long periods and get up regularly. Heat or cold for up to 15 "
            "minutes at a time can ease the pain.",
        ),
        "causes": ["piriformis_syndrome"],
        "phases": [],
        "order": 130,
    },
    {
        "slug": "spondylolisthesis",
        "title": "Sciatica from spondylolisthesis",
        "summary": (
            "One vertebra has slipped forward over the one below and can press on a nerve. "
            "A strong, stable core is the mainstay of care."
        ),
        "body": (
            "In spondylolisthesis one vertebra has slipped forward over the one below it. "
            "The slip can narrow the space for the nerves and irritate them.",
            "Strengthening the deep muscles of your trunk steadies the slipped level. Your "
            "program is likely to build from finding a neutral spine and bracing your stomach "
            "to exercises such as the dead bug, bird dog and bridge.",
            "Bending backward as far as you can loads the slipped level, so avoid "
            "backward-bending stretches and exercises unless your therapist has given them to "
            "you. Gentle forward bending is often more comfortable.",
            "Tell your therapist if your leg pain or numbness gets worse, or if you notice "
            "any new weakness.",
        ),
        "causes": ["spondylolisthesis"],
        "phases": [],
        "order": 140,
    },
    {
        "slug": "degenerative-disc-disease",
        "title": "Sciatica from degenerative disc disease",
        "summary": (
            "The discs have worn with age and a nerve is irritated. Regular movement and a "
            "strong core help."
        ),
        "body": (
            "With age the discs between the vertebrae wear and lose height. A worn disc can "
            "irritate a nearby nerve root and cause sciatica.",
            "A worn disc is not a reason to stop moving. Regular low-impact activity such as "
            "walking, swimming or exercise in a pool moves fluid and nutrients to the disc, "
            "and keeping active keeps the muscles around it strong.",
            "Strengthening your core (stomach, back, buttock and hip muscles) supports the "
            "spine, and changing position often eases stiffness. In a flare-up, heat or cold "
            "for up to 15 minutes at a time and keeping gently active can ease the pain.",
        ),
        "causes": ["degenerative_disc_disease"],
        "phases": [],
        "order": 150,
    },
    # ------------------------------------------------------------------ by phase
    {
        "slug": "the-first-weeks",
        "title": "The first weeks: calm the pain and keep moving",
        "summary": (
            "In the first six weeks the aim is to ease the pain without resting too much: "
            "short walks, heat or cold and your first exercises."
        ),
        "body": (
            "Your sciatica began less than six weeks ago (the acute phase). The aim now is to "
            "ease the pain without resting too much.",
            "Keep moving: a day or two of rest in a bad flare-up is fine, then short, frequent "
            "walks and your exercises. Heat or cold for up to 15 minutes at a time can ease the "
            "pain.",
            "The first exercises are often repeated several times a day, for example every "
            "two hours. Do them as often as your program "
            "says, and watch where the pain goes: pain moving out of your leg is the sign "
            "they are working.",
        ),
        "causes": [],
        "phases": ["acute"],
        "order": 210,
    },
    {
        "slug": "building-up",
        "title": "Six to twelve weeks: building strength",
        "summary": (
            "As the pain settles the program shifts to strength and endurance, so the back "
            "copes with daily life again."
        ),
        "body": (
            "Your sciatica began six to twelve weeks ago (the subacute phase). The pain is "
            "usually settling now, and the focus moves from easing it to building strength "
            "and endurance.",
            "Your therapist will progress your program in phases: more repetitions first, "
            "then harder variations, then everyday tasks such as lifting. Walks can get "
            "longer.",
            "Keep up the habits that helped: support your back when you sit, take movement "
            "breaks, and stop anything that sends the pain further down your leg.",
        ),
        "causes": [],
        "phases": ["subacute"],
        "order": 220,
    },
    {
        "slug": "long-lasting-sciatica",
        "title": "When sciatica lasts longer than twelve weeks",
        "summary": (
            "Pain that lasts beyond three months is still treated with steady exercise. "
            "Keep active, pace yourself and plan for flare-ups."
        ),
        "body": (
            "Your sciatica began more than twelve weeks ago (the chronic phase). Exercise is "
            "still the heart of your care: strengthening, stretching and low-impact activity "
            "such as walking or swimming.",
            "Pace yourself. Do about the same amount each day rather than a lot on good days "
            "and nothing on bad ones, and build up in small steps.",
            "Have a plan for flare-ups: a day or two of easier activity, heat or cold for up "
            "to 15 minutes, the exercises that ease you, then back to your usual program.",
            "If months of this care have not helped, talk to your therapist and physician "
            "about next steps; surgery is considered only then.",
        ),
        "causes": [],
        "phases": ["chronic"],
        "order": 230,
    },
]
