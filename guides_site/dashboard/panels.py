"""What the editors' home page (/admin/) shows: each capability registers a panel provider.

A provider is a function of the request that returns a Panel, or None when the editor may not
see it (no permission) or the capability has nothing to show. Providers register from their
app's AppConfig.ready(), so this module imports no app and every app stays optional.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    text: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Panel:
    title: str
    count: int
    url: str  # where the whole list is (an admin changelist, usually)
    rows: tuple[Row, ...] = ()  # a few, the most urgent first
    summary: str = ""  # one line under the count, e.g. "the oldest waits 3 days"
    order: int = 50  # smaller first


_providers = []


def register(provider):
    _providers.append(provider)
    return provider


def panels_for(request):
    found = (provider(request) for provider in _providers)
    return sorted((panel for panel in found if panel is not None), key=lambda p: p.order)
