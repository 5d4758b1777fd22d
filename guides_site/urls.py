from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.cache import cache_page

from guides_site.guides import directory, feedback_views, views
from guides_site.guides.sitemaps import sitemap_index, sitemaps
from guides_site.questions import views as questions
from guides_site.search import views as search

urlpatterns = [
    path("admin/", admin.site.urls),
    # The index and its sections change with imports and edits: an hour behind is fine.
    path("sitemap.xml", cache_page(3600)(sitemap_index), name="sitemap"),
    path(
        "sitemap-<section>.xml",
        cache_page(3600)(sitemap),
        {"sitemaps": sitemaps},
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("i18n/", include("django.conf.urls.i18n")),
]

guide = "<slug:company>/<slug:guide>/"
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("search/", search.search, name="search"),
    path("search/answers/", search.instant_answers, name="instant_answers"),
    path("companies/<str:letter>/", directory.companies, name="companies"),
    path("your-details/<str:token>/", questions.erase_details, name="erase_details"),
    path("tags/<slug:slug>/", views.tag, name="tag"),
    path("<slug:company>/", views.company, name="company"),
    path("<slug:company>/contacts/", include("guides_site.contacts.urls")),
    path(guide, views.guide, name="guide"),
    path(guide + "step/<int:position>/", views.walkthrough, name="walkthrough"),
    path(guide + "step/<int:position>/answer/", feedback_views.step_answer, name="step_answer"),
    path(guide + "vote/", feedback_views.vote, name="vote"),
    path(guide + "vote/feedback/", feedback_views.vote_feedback, name="vote_feedback"),
    path(guide + "ask/", questions.ask, name="ask"),
    prefix_default_language=False,
)

handler400 = "guides_site.operations.views.bad_request"
handler500 = "guides_site.operations.views.server_error"
