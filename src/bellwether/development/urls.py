from django.urls import path

from bellwether.development import views, views_workshops

app_name = "development"
urlpatterns = [
    path("", views.home, name="home"),
    path("my-plan/", views.my_plan, name="my_plan"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/act/", views.act, name="act"),
    path("plans/<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("leaders/<int:person_pk>/generate/", views.generate, name="generate"),
    path("cohort/", views.cohort, name="cohort"),
    path("cohort/export/", views.cohort_export, name="cohort_export"),
    path("cohort/generate/", views.generate_cohort, name="generate_cohort"),
    path("modules/", views.add_module, name="add_module"),
    path("workshops/", views_workshops.workshops, name="workshops"),
    path("workshops/schedule/", views_workshops.schedule, name="schedule"),
    path("workshops/<int:pk>/", views_workshops.workshop, name="workshop"),
    path("workshops/<int:pk>/outcome/", views_workshops.outcome, name="outcome"),
    path("workshops/<int:pk>/invite.ics", views_workshops.workshop_ics, name="workshop_ics"),
    path("workshops/<int:pk>/report.pdf", views_workshops.workshop_report_pdf, name="workshop_pdf"),
]
