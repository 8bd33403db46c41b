from django.urls import path

from kyoten.review import views

app_name = "review"

urlpatterns = [
    path("", views.my_reviews, name="mine"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("proposals/<int:proposal_id>/", views.proposal_reviews, name="proposal"),
    path("proposals/<int:proposal_id>/discussion/", views.discussion_post, name="discuss"),
    path("conflicts/declare/", views.conflict_declare, name="declare"),
    path("calls/<int:call_id>/", views.call_board, name="call"),
    path("calls/<int:call_id>/assign/", views.assign, name="assign"),
    path("calls/<int:call_id>/pairs/", views.pair_edit, name="pair"),
    path("calls/<int:call_id>/detect/", views.detect, name="detect"),
    path(
        "calls/<int:call_id>/conflicts/<int:conflict_id>/decide/",
        views.conflict_decide,
        name="conflict_decide",
    ),
    path("calls/<int:call_id>/ranking/", views.ranking, name="ranking"),
    path("calls/<int:call_id>/committees/", views.committees, name="committees"),
    path("committees/<int:committee_id>/deputy/", views.committee_deputy, name="committee_deputy"),
]
