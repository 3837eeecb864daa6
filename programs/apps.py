from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from . import safety

        # An answered questionnaire may complete the picture for the no-improvement
        # review (outcomes stores it; the rule is ours).
        post_save.connect(
            safety.review_after_questionnaire,
            sender="outcomes.QuestionnaireResponse",
            dispatch_uid="programs.safety.review_after_questionnaire",
        )
