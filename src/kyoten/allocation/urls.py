from django.urls import path

from kyoten.allocation import views

app_name = "allocation"

urlpatterns = [
    path("", views.index, name="index"),
    path("calls/<int:call_id>/", views.call_runs, name="call"),
    path("calls/<int:call_id>/publish/", views.decision_publish, name="publish"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/adopt/", views.run_adopt, name="adopt"),
    path("runs/<int:pk>/chart-<str:kind>.png", views.run_chart, name="chart"),
    path("runs/<int:pk>/export.<str:fmt>", views.run_export, name="export"),
    path("compare/", views.compare, name="compare"),
    path("letters/<int:proposal_id>.pdf", views.decision_letter, name="letter"),
]
