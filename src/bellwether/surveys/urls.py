from django.urls import path

from bellwether.surveys.views import campaigns, instruments, respond, results, schedules

app_name = "surveys"
urlpatterns = [
    path("", campaigns.campaign_list, name="campaigns"),
    path("new/", campaigns.campaign_new, name="campaign_new"),
    path("pulses/install/", campaigns.install_pulses, name="install_pulses"),
    path("<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("<int:pk>/remind/", campaigns.campaign_remind, name="campaign_remind"),
    path("<int:pk>/close/", campaigns.campaign_close, name="campaign_close"),
    path("<int:pk>/results/", results.results, name="results"),
    path("<int:pk>/results.<str:fmt>", results.results_export, name="results_export"),
    path("<int:pk>/invitations/", campaigns.invitations, name="invitations"),
    path("invitations/<int:pk>/revoke/", campaigns.invitation_revoke, name="invitation_revoke"),
    path("invitations/<int:pk>/reissue/", campaigns.invitation_reissue, name="invitation_reissue"),
    path("confidentiality/", campaigns.confidentiality, name="confidentiality"),
    path("recurring/", schedules.schedule_list, name="schedules"),
    path("recurring/new/", schedules.schedule_new, name="schedule_new"),
    path("recurring/<int:pk>/", schedules.schedule_edit, name="schedule_edit"),
    path("recurring/<int:pk>/active/", schedules.schedule_active, name="schedule_active"),
    path("instruments/", instruments.instrument_list, name="instruments"),
    path("instruments/<int:pk>/", instruments.instrument_detail, name="instrument_detail"),
    path(
        "instruments/<int:pk>/questions/",
        instruments.instrument_question,
        name="instrument_question",
    ),
    path(
        "instruments/<int:pk>/<slug:action>/",
        instruments.instrument_action,
        name="instrument_action",
    ),
    path("r/thanks/", respond.thanks, name="thanks"),
    path("r/<str:token>/", respond.respond, name="respond"),
    path("r/<str:token>/draft/", respond.save_draft, name="save_draft"),
]
