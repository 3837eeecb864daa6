from django.urls import path, re_path

from interop.fhir import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.MetadataView.as_view(), name="metadata"),
    path(
        "Patient/<str:resource_id>/$everything", views.EverythingView.as_view(), name="everything"
    ),
    path("<str:resource_type>", views.SearchView.as_view(), name="search"),
    path("<str:resource_type>/<str:resource_id>", views.ReadView.as_view(), name="read"),
    re_path(r"^(?P<path>.*)$", views.UnknownView.as_view(), name="unknown"),
]
