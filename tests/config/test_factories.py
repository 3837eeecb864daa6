"""tests/factories has a factory for every model of the apps, and each one, called with
no arguments, stores a record that validates."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from tests.factories import FACTORIES, answers_for, make_questionnaire_response

ROOT = Path(__file__).resolve().parents[2]


def app_models() -> list[type[models.Model]]:
    """The concrete models of this project's apps (not of the libraries, whose packages
    live under .venv); history tables are simple_history's own, not ours to build."""
    ours = []
    for config in apps.get_app_configs():
        where = Path(config.path).resolve()
        if not where.is_relative_to(ROOT) or where.relative_to(ROOT).parts[0].startswith("."):
            continue
        ours += [
            model for model in config.get_models() if not model.__name__.startswith("Historical")
        ]
    return ours


def _label(model: type[models.Model]) -> str:
    return model._meta.label


def test_every_model_of_the_apps_has_a_factory():
    assert sorted(map(_label, FACTORIES)) == sorted(map(_label, app_models()))


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(FACTORIES), ids=_label)
def test_a_factory_stores_a_record_that_validates(model):
    record = FACTORIES[model]()

    assert type(record) is model
    assert model.objects.filter(pk=record.pk).exists()
    record.full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["odi", "nprs", "rmdq", "startback"])
def test_the_answers_of_each_baseline_questionnaire_are_stored_with_a_score(code):
    response = make_questionnaire_response(code=code)

    assert (response.code, response.answers) == (code, answers_for(code))
    assert response.score is not None
