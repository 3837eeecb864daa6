"""Education topics: library content, edited in the admin with no rule beyond the model's."""

from __future__ import annotations

import factory

from education.models import Topic


class TopicFactory(factory.django.DjangoModelFactory[Topic]):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"test-topic-{n}")
    title = factory.Sequence(lambda n: f"Test topic {n}")
    summary = "What helps while the nerve settles."
    body = "Keep moving gently.\n\nAvoid long sitting."
    causes = factory.LazyFunction(list)  # every cause
    phases = factory.LazyFunction(list)  # every phase
