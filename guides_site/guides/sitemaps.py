from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Company, Guide


class SiteSitemap(Sitemap):
    """Addresses on settings.SITE_URL, not on the Host the request came with."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class GuideSitemap(SiteSitemap):
    """Every published guide, each in its own language, with its translations as alternates."""

    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Guide.objects.published().select_related("company").order_by("pk")

    def lastmod(self, guide):
        return guide.updated or guide.published


class PageSitemap(SiteSitemap):
    """Home, about and company pages, in every language."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self):
        pages = [("home", ()), ("about", ())]
        pages += [
            ("company", (slug,))
            for slug in Company.objects.filter(guides__status=Guide.Status.PUBLISHED)
            .distinct()
            .order_by("slug")
            .values_list("slug", flat=True)
        ]
        return pages

    def location(self, item):
        name, args = item
        return reverse(name, args=args)


sitemaps = {"guides": GuideSitemap, "pages": PageSitemap}
