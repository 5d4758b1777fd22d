"""Organization JSON-LD with a ContactPoint per channel, for search engines."""

from django.conf.locale import LANG_INFO

from guides_site.guides.seo import absolute_url

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _time(minutes):
    hours, minutes = divmod(minutes, 60)
    return "23:59" if hours == 24 else f"{hours:02d}:{minutes:02d}"


def _hours_available(view):
    """One OpeningHoursSpecification per span of the week, days with the same span together."""
    spans = view.week_spans or {}
    by_span = {}
    for day, day_spans in spans.items():
        for start, end in day_spans:
            by_span.setdefault((start, end), []).append(f"https://schema.org/{_DAYS[day]}")
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": days,
            "opens": _time(start),
            "closes": _time(end),
        }
        for (start, end), days in sorted(by_span.items(), key=lambda item: item[1][0])
    ]


def contact_point(view):
    point = {"@type": "ContactPoint", "contactType": "customer service", "name": view.label}
    channel = view.channel
    if view.kind == "phone":
        point["telephone"] = channel.value  # E.164, or a national short number
    elif view.kind == "email":
        point["email"] = channel.value
    elif view.href:
        point["url"] = view.href
    if view.country:
        point["areaServed"] = view.country
    if channel.languages:
        point["availableLanguage"] = [
            LANG_INFO.get(code, {}).get("name", code) for code in channel.languages
        ]
    hours = _hours_available(view)
    if hours:
        point["hoursAvailable"] = hours
    return point


def organization(company, views):
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": company.name,
        "url": company.website or absolute_url(company.get_absolute_url()),
    }
    points = [contact_point(view) for view in views if view.kind != "post"]
    if points:
        data["contactPoint"] = points
    return data
