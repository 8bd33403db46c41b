from django.urls import path

from kyoten.proposals import views

app_name = "proposals"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("partnerships/", views.partnerships, name="partnerships"),
    path("partnerships/<int:pk>/", views.partnership_answer, name="partnership_answer"),
    path("<int:pk>/partners-may-edit/", views.partners_may_edit, name="partners_may_edit"),
    path("new/<int:call_id>/", views.proposal_new, name="new"),
    path("<int:pk>/", views.proposal_edit, name="edit"),
    path("<int:pk>/save/<slug:part>/", views.proposal_save, name="save"),
    path("<int:pk>/checklist/", views.proposal_checklist, name="checklist"),
    path("<int:pk>/submit/", views.proposal_submit, name="submit"),
    path("<int:pk>/return/", views.proposal_return, name="return"),
    path("<int:pk>/acknowledge/", views.proposal_acknowledge, name="acknowledge"),
    path("<int:pk>/withdraw/", views.proposal_withdraw, name="withdraw"),
    path("<int:pk>/signatures/request/", views.signature_request, name="signature_request"),
    path("<int:pk>/sign/", views.proposal_sign, name="sign"),
    path("<int:pk>/category/", views.proposal_category, name="category"),
    path("<int:pk>/options/", views.proposal_option_add, name="option_add"),
    path("<int:pk>/versions/", views.proposal_versions, name="versions"),
    path("<int:pk>/versions/<int:number>/", views.proposal_version, name="version"),
    path("<int:pk>/pdf/", views.proposal_pdf, name="pdf"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("calls/<int:call_id>/", views.call_proposals, name="call"),
    path("calls/<int:call_id>/eligibility/", views.call_eligibility, name="eligibility"),
    path("calls/<int:call_id>/export.<str:fmt>", views.call_export, name="export"),
    path("calls/<int:call_id>/amend/", views.call_amend, name="amend"),
]
