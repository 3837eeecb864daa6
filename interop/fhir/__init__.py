"""A read-only FHIR R4 API over the clinic's records (`/fhir/R4/`).

Each resource type is drawn from one or more of the apps' models by a `Source`
(`types.py`): the clinic's rows and how one row reads as a resource. The views
(`views.py`) do the rest the same way for every type: scope, permissions, search,
paging, bundles, `$everything`, errors as OperationOutcomes and the access log.
"""
