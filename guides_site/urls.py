from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import path

from guides_site.guides import views

urlpatterns = [
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("<slug:company>/", views.company, name="company"),
    path("<slug:company>/<slug:guide>/", views.guide, name="guide"),
    prefix_default_language=False,
)
