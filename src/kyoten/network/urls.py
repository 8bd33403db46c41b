from django.urls import path

from kyoten.network import feeds, views

app_name = "network"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search_page, name="search"),
    path("region/<slug:block>/", views.region, name="region"),
    path("hub/<int:pk>/", views.hub, name="hub"),
    path("entry/<slug:kind>/<int:pk>/", views.entry, name="entry"),
    path("entry/<slug:kind>/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entry/<slug:kind>/<int:pk>/withdraw/", views.entry_withdraw, name="entry_withdraw"),
    path("entry/<slug:kind>/<int:pk>/approve/", views.entry_approve, name="entry_approve"),
    path("entry/<slug:kind>/<int:pk>/reject/", views.entry_reject, name="entry_reject"),
    path("post/<slug:kind>/", views.post_new, name="post"),
    path("moderation/", views.moderation, name="moderation"),
    path("mine/", views.my_posts, name="my_posts"),
    path("feed/", views.my_feed, name="my_feed"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.<slug:fmt>", views.dashboard_export, name="dashboard_export"),
    path("kpis.<slug:fmt>", views.kpis_export, name="kpis_export"),
    path("equipment.<slug:fmt>", views.equipment_export, name="equipment_export"),
    path("feeds/news.atom", feeds.NewsAtom(), name="feed_atom"),
    path("feeds/news.rss", feeds.NewsRss(), name="feed_rss"),
    path("feeds/region/<slug:block>.atom", feeds.NewsAtom(), name="region_feed_atom"),
    path("feeds/region/<slug:block>.rss", feeds.NewsRss(), name="region_feed_rss"),
    path("feeds/hub/<int:hub_id>.atom", feeds.NewsAtom(), name="hub_feed_atom"),
    path("feeds/hub/<int:hub_id>.rss", feeds.NewsRss(), name="hub_feed_rss"),
]
