from django.urls import path

from kyoten.calls import views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("new/", views.call_new, name="new"),
    path("<int:pk>/", views.call_detail, name="detail"),
    path("<int:pk>/edit/", views.call_edit, name="edit"),
    path("<int:pk>/status/", views.call_status, name="status"),
    path("programs/new/", views.program_edit, name="program_new"),
    path("programs/<int:pk>/", views.program_edit, name="program_edit"),
]
