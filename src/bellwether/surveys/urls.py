from django.urls import path

from bellwether.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("new/", views.campaign_new, name="campaign_new"),
    path("pulses/install/", views.install_pulses, name="install_pulses"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/remind/", views.campaign_remind, name="campaign_remind"),
    path("<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results.<str:fmt>", views.results_export, name="results_export"),
    path("<int:pk>/invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/<int:pk>/reissue/", views.invitation_reissue, name="invitation_reissue"),
    path("confidentiality/", views.confidentiality, name="confidentiality"),
    path("instruments/", views.instrument_list, name="instruments"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument_detail"),
    path("instruments/<int:pk>/questions/", views.instrument_question, name="instrument_question"),
    path("instruments/<int:pk>/<slug:action>/", views.instrument_action, name="instrument_action"),
    path("r/thanks/", views.thanks, name="thanks"),
    path("r/<str:token>/", views.respond, name="respond"),
    path("r/<str:token>/draft/", views.save_draft, name="save_draft"),
]
