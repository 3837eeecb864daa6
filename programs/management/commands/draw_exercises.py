"""Renders the seeded library's line drawings into programs/static/programs/exercises/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from programs.seed.drawing_poses import POSES
from programs.seed.library import EXERCISES
from programs.seed.stick_figure import render

OUT = Path(__file__).resolve().parents[2] / "static" / "programs" / "exercises"


class Command(BaseCommand):
    help = "Draws one SVG line drawing per seeded exercise from its pose."

    def handle(self, *args: Any, **options: Any) -> None:
        missing = [spec["slug"] for spec in EXERCISES if spec["slug"] not in POSES]
        if missing:
            raise CommandError(f"No pose for: {', '.join(missing)}.")
        OUT.mkdir(parents=True, exist_ok=True)
        for spec in EXERCISES:
            (OUT / f"{spec['slug']}.svg").write_text(render(POSES[spec["slug"]], spec["name"]))
        self.stdout.write(f"Drew {len(EXERCISES)} exercises into {OUT}.")
