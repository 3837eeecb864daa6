"""The home-exercise handout's PDF: `interop.handouts.pdf.handout_pdf` for a phase of six
exercises with their drawings, beside a floor of a one-paragraph WeasyPrint document.

    python -m bench.handout_pdf --repeat 9

Needs no database: the handout is built from the seeded library's specs
(programs.seed.library), six exercises with their own dosage and steps and each its
shipped SVG drawing, embedded as the API embeds it (interop.handouts.content). It times
the whole handout (the median of --repeat runs; the page's HTML apart as well) and, in
the same loop, the floor: WeasyPrint writing a PDF of one short paragraph with the same
URL fetcher, `ratio` being the handout's time over the floor's. The last line is
`RESULT bench=handout_pdf ...`.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time
from typing import Any

EXERCISES = 6
FLOOR_HTML = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Floor</title></head>'
    "<body style=\"font-family: 'DejaVu Sans', sans-serif\"><p>Stop any exercise that "
    "increases your pain and call us.</p></body></html>"
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="timed renders (median)")
    parser.add_argument("--language", default="en", choices=["en", "es"])
    return parser.parse_args(argv)


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def handout(language: str) -> Any:
    """A handout of the first six exercises of the seeded library with a drawing each,
    their dosage the library's defaults, as a prescription copies them."""
    from interop.handouts.content import Handout, HandoutExercise, dosage_parts, embedded_image
    from programs.models import Exercise, ExerciseMedia, MediaKind, PrescribedExercise
    from programs.seed.drawings import drawing_path
    from programs.seed.library import EXERCISES as SPECS

    exercises = []
    for spec in SPECS[:EXERCISES]:
        library = Exercise(name=spec["name"], instructions="\n".join(spec["instructions"]))
        drawing = ExerciseMedia(kind=MediaKind.IMAGE, static_path=drawing_path(spec["slug"]))
        image = embedded_image([drawing])
        assert image is not None, f"no drawing for {spec['slug']}"
        exercises.append(
            HandoutExercise(
                name=library.name,
                steps=tuple(library.steps),
                dosage=dosage_parts(PrescribedExercise(**spec["dosage"])),
                image=image,
            )
        )
    return Handout(
        language=language,
        clinic_name="Demo Spine Clinic",
        clinic_phone="+1 202 555 0199",
        first_name="Alex",
        program_name="McKenzie extension program",
        phase_name="Reduce and centralize",
        exercises=tuple(exercises),
        paused_count=0,
        program_paused=False,
        weekdays=("Monday", "Wednesday", "Friday"),
        reminder_times=("08:00", "18:00"),
    )


def render_floor() -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    pdf: bytes = HTML(
        string=FLOOR_HTML, url_fetcher=URLFetcher(allowed_protocols=("data",))
    ).write_pdf()
    return pdf


def timed(work: Any) -> tuple[Any, float]:
    begin = time.perf_counter()
    result = work()
    return result, time.perf_counter() - begin


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    setup()

    from pypdf import PdfReader

    from interop.handouts.pdf import handout_html, handout_pdf

    built, build_s = timed(lambda: handout(args.language))
    pdf = handout_pdf(built)  # warm: fonts, Pango, the template
    render_floor()
    handout_s: list[float] = []
    html_s: list[float] = []
    floor_s: list[float] = []
    for _ in range(args.repeat):
        _, took = timed(lambda: handout_html(built))
        html_s.append(took)
        pdf, took = timed(lambda: handout_pdf(built))
        handout_s.append(took)
        _, took = timed(render_floor)
        floor_s.append(took)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    median, floor = statistics.median(handout_s), statistics.median(floor_s)
    image_bytes = sum(len(e.image.src) for e in built.exercises if e.image is not None)
    print(
        f"{len(built.exercises)} exercises, {pages} pages, {len(pdf)} bytes of PDF "
        f"({image_bytes} bytes of embedded drawings); handout {median * 1000:.1f} ms "
        f"(HTML {statistics.median(html_s) * 1000:.1f}), floor {floor * 1000:.1f} ms"
    )
    with open("/proc/loadavg") as handle:
        load = handle.read().split()[0]
    fields = {
        "bench": "handout_pdf",
        "language": args.language,
        "exercises": len(built.exercises),
        "pages": pages,
        "pdf_bytes": len(pdf),
        "build_s": f"{build_s:.4f}",
        "html_s": f"{statistics.median(html_s):.4f}",
        "handout_s": f"{median:.4f}",
        "floor_s": f"{floor:.4f}",
        "ratio": f"{median / floor:.1f}",
        "repeat": args.repeat,
        "loadavg_1m": load,
    }
    print("RESULT " + " ".join(f"{key}={value}" for key, value in fields.items()))


if __name__ == "__main__":
    main()
