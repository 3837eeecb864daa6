from django.contrib import admin
from django.urls import path

admin.site.site_header = "Sciatica practice"
admin.site.site_title = "Sciatica practice"
admin.site.index_title = "Clinic administration"

urlpatterns = [
    path("admin/", admin.site.urls),
]
