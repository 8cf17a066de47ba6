from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from . import password_reset, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", password_reset.ResetRequestView.as_view(), name="password_reset"),
    path("accounts/password-reset/sent/", password_reset.ResetSentView.as_view(), name="password_reset_done"),
    path(
        "accounts/password-reset/complete/",
        password_reset.ResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        password_reset.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("i18n/setlang/", views.set_language, name="set_language"),
]
