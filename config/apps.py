from django.contrib.admin.apps import AdminConfig


class PracticeAdminConfig(AdminConfig):
    """Django's admin with the practice's site (the Today page as its start page).

    Apart from config.admin_site, which imports the apps' models: Django loads this
    class before any model exists."""

    default_site = "config.admin_site.PracticeAdminSite"
