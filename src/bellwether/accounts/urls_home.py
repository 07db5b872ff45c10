"""The organisation's home, audit log and organisation switch, at the site's root under
the ``core`` URL namespace (see ``bellwether/urls.py``)."""

from django.urls import path

from bellwether.accounts import views_home

urlpatterns = [
    path("", views_home.home, name="home"),
    path("audit/", views_home.audit_log, name="audit_log"),
    path("organisation/switch/", views_home.switch_organisation, name="switch_organisation"),
]
