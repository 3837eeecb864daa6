"""The admin mounted at another address, as a deployment may mount it."""

from django.contrib import admin
from django.urls import path

urlpatterns = [path("office/", admin.site.urls)]
