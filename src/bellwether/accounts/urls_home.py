"""The organisation's audit log and organisation switch (its home page is the
insights app's, for each role), at the site's root under
the ``core`` URL namespace (see ``bellwether/urls.py``)."""

from django.urls import path

from bellwether.accounts import views_home

urlpatterns = [
    path("audit/", views_home.audit_log, name="audit_log"),
    path("scheduled-jobs/", views_home.scheduled_jobs, name="scheduled_jobs"),
    path("organisation/switch/", views_home.switch_organisation, name="switch_organisation"),
]
