"""The topics' texts in every language of LANGUAGES (django-modeltranslation), English
the fallback."""

from modeltranslation.translator import TranslationOptions, register

from .models import Topic


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("title", "summary", "body")
