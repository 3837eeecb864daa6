"""The library's texts in every language of LANGUAGES (django-modeltranslation): a column
per language beside each field, the active language read with English as the fallback."""

from modeltranslation.translator import TranslationOptions, register

from .models import Exercise, ExerciseMedia, ProgramPhase, ProgramTemplate


@register(Exercise)
class ExerciseTranslation(TranslationOptions):
    fields = ("name", "summary", "instructions")


@register(ProgramTemplate)
class ProgramTemplateTranslation(TranslationOptions):
    fields = ("name", "description")


@register(ProgramPhase)
class ProgramPhaseTranslation(TranslationOptions):
    fields = ("name", "goal")


@register(ExerciseMedia)
class ExerciseMediaTranslation(TranslationOptions):
    fields = ("caption",)
