from django.urls import path

from kyoten.hubs import views

app_name = "hubs"

urlpatterns = [
    path("", views.hub_list, name="list"),
    path("export.<slug:fmt>", views.hub_list_export, name="export"),
    path("board/", views.board, name="board"),
    path("checks/", views.checks, name="checks"),
    path("from-decision/", views.from_decision, name="from_decision"),
    path("<int:pk>/", views.hub_detail, name="detail"),
    path("<int:pk>/assets.<slug:fmt>", views.hub_assets_export, name="assets_export"),
    path("<int:pk>/edit/", views.hub_edit, name="edit"),
    path("<int:pk>/stage/", views.stage_set, name="stage"),
    path("<int:pk>/assets/add/", views.asset_add, name="asset_add"),
    path("<int:pk>/assets/<int:asset_id>/move/", views.asset_transfer, name="asset_transfer"),
    path("<int:pk>/assets/<int:asset_id>/dispose/", views.asset_dispose, name="asset_dispose"),
    path("<int:pk>/committee/add/", views.committee_add, name="committee_add"),
    path(
        "<int:pk>/committee/<int:member_id>/remove/",
        views.committee_remove,
        name="committee_remove",
    ),
    path("<int:pk>/contacts/add/", views.contact_add, name="contact_add"),
    path("<int:pk>/contacts/<int:contact_id>/remove/", views.contact_remove, name="contact_remove"),
    path("<int:pk>/rooms/add/", views.room_add, name="room_add"),
    path("<int:pk>/tenants/add/", views.tenant_add, name="tenant_add"),
    path(
        "<int:pk>/tenants/<int:tenant_id>/graduate/",
        views.tenant_graduate,
        name="tenant_graduate",
    ),
]
