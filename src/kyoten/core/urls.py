from django.contrib.auth import views as auth_views
from django.urls import path

from kyoten.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("prefectures/", views.prefecture_list, name="prefectures"),
    path("history/<str:label>/<int:pk>/", views.object_history, name="history"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
