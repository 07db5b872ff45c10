from django.urls import path

from bellwether.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("settings/", views.account_settings, name="settings"),
]
