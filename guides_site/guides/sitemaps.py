from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.template.response import TemplateResponse
from django.urls import reverse

from . import seo
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

    def _urls(self, page, protocol, domain):
        """Each guide with its published translations as hreflang alternates, read in one
        query per sitemap page."""
        urls = super()._urls(page, protocol, domain)
        keys = {u["item"].translation_key for u in urls if u["item"].translation_key}
        versions = {}
        for guide in (
            Guide.objects.published().filter(translation_key__in=keys).select_related("company")
        ):
            versions.setdefault(guide.translation_key, []).append(guide)
        for url in urls:
            siblings = versions.get(url["item"].translation_key, [])
            if len(siblings) > 1:
                url["alternates"] = [
                    {
                        "lang_code": sibling.language,
                        "location": f"{protocol}://{domain}{sibling.get_absolute_url()}",
                    }
                    for sibling in sorted(siblings, key=lambda g: g.language)
                ]
        return urls


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


def sitemap_index(request):
    """/sitemap.xml: every page of every section's sitemap (each under 50,000 addresses),
    on SITE_URL rather than the request's Host."""
    items = []
    for section, sitemap_class in sitemaps.items():
        location = seo.absolute_url(reverse("sitemap-section", kwargs={"section": section}))
        pages = sitemap_class().paginator.num_pages
        items.append(SitemapIndexItem(location, None))
        items += [SitemapIndexItem(f"{location}?p={n}", None) for n in range(2, pages + 1)]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )
