from django.urls import path

from kyoten.calls import views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("programs/new/", views.program_edit, name="program_new"),
    path("programs/<int:pk>/", views.program_edit, name="program_edit"),
]
