from django.urls import path

from kyoten.equipment import views

app_name = "equipment"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/calendar/", views.calendar_partial, name="calendar"),
    path("<int:pk>/edit/", views.machine_edit, name="machine_edit"),
    path("<int:pk>/status/", views.machine_status, name="machine_status"),
    path("<int:pk>/waitlist/", views.waitlist_join, name="waitlist_join"),
    path("<int:pk>/calendar.ics", views.ical_machine, name="ical_machine"),
    path("<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("<int:pk>/photos/<int:photo_pk>/", views.photo_file, name="photo_file"),
    path("<int:pk>/photos/<int:photo_pk>/remove/", views.photo_remove, name="photo_remove"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/", views.booking_page, name="booking"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/usage/", views.booking_usage, name="booking_usage"),
    path("feeds/<str:key>.ics", views.ical_user, name="ical_user"),
    path("training/", views.training, name="training"),
    path("training/mine/", views.my_training, name="my_training"),
    path("training/<int:pk>/register/", views.session_register, name="session_register"),
    path("training/<int:pk>/unregister/", views.session_unregister, name="session_unregister"),
    path("hub/<int:hub_id>/training/", views.hub_training, name="hub_training"),
    path("hub/<int:hub_id>/machines/new/", views.hub_machine_new, name="hub_machine_new"),
    path("hub/<int:hub_id>/settings/", views.hub_settings, name="hub_settings"),
    path("hub/<int:hub_id>/courses/new/", views.hub_course_create, name="hub_course_create"),
    path("hub/<int:hub_id>/sessions/new/", views.hub_session_create, name="hub_session_create"),
    path("hub/<int:hub_id>/sessions/<int:pk>/", views.hub_session, name="hub_session"),
    path(
        "hub/<int:hub_id>/sessions/<int:pk>/attendance/",
        views.hub_attendance_record,
        name="hub_attendance_record",
    ),
    path("hub/<int:hub_id>/", views.hub_desk, name="hub_desk"),
    path(
        "hub/<int:hub_id>/bookings/<int:pk>/<str:action>/",
        views.hub_booking_action,
        name="hub_booking_action",
    ),  # fmt: skip
    path(
        "hub/<int:hub_id>/bookings.<slug:fmt>",
        views.hub_bookings_export,
        name="hub_bookings_export",
    ),
    path("hub/<int:hub_id>/invoices/", views.hub_invoices_run, name="hub_invoices_run"),
    path("settlement/", views.settlement, name="settlement"),
    path("settlement/close/", views.settlement_close, name="settlement_close"),
    path("invoices/", views.invoices, name="invoices"),
    path("invoices/<int:pk>.<str:fmt>", views.invoice_download, name="invoice_download"),
]
