from django.urls import path

from kyoten.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("hubs/<int:pk>/", views.hub_detail, name="hub"),
    path("hubs/<int:pk>/charts/<str:kpi>.png", views.chart, name="chart"),
    path("hubs/<int:pk>/reports/<int:fy>.pdf", views.hub_report_pdf, name="hub_pdf"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("annual/<int:fy>.pdf", views.program_pdf, name="program_pdf"),
    path("annual/<int:fy>/blocks.png", views.block_chart, name="block_chart"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("hubs/<int:pk>/research/", views.research_list, name="research_list"),
    path("hubs/<int:pk>/research/new/", views.research_new, name="research_new"),
    path("hubs/<int:pk>/research/public/", views.research_public, name="research_public"),
    path("hubs/<int:pk>/research/<int:project_id>/", views.research_detail, name="research"),
    path("hubs/<int:pk>/desk/", views.desk, name="desk"),
    path("hubs/<int:pk>/desk/new/", views.desk_new, name="desk_new"),
    path("hubs/<int:pk>/desk/coordinators/", views.desk_coordinators, name="desk_coordinators"),
    path(
        "hubs/<int:pk>/desk/<int:consultation_id>/",
        views.consultation_detail,
        name="consultation",
    ),
    path("hubs/<int:pk>/patents/", views.patent_list, name="patent_list"),
    path("hubs/<int:pk>/patents/new/", views.patent_new, name="patent_new"),
    path("hubs/<int:pk>/patents/<int:patent_id>/", views.patent_detail, name="patent"),
    path("advice/", views.advice_list, name="advice_list"),
    path("advice/<int:pk>/", views.advice_detail, name="advice"),
]
