"""HSTS in production: on, without preload and includeSubDomains unless asked for."""

import json
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "guides.example",
    "SITE_URL": "https://guides.example",
    "EMAIL_HOST": "smtp.guides.example",
    "DJANGO_SETTINGS_MODULE": "guides_site.settings",
    "PATH": "/usr/bin:/bin",
}
READ_HSTS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
    "s.SECURE_HSTS_PRELOAD]))"
)


def run_with(**env):
    return subprocess.run(
        [sys.executable, "-c", READ_HSTS],
        cwd=settings.BASE_DIR,
        env={**PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_hsts_is_on_for_a_year_without_preload_or_subdomains_by_default():
    assert json.loads(run_with().stdout) == [31536000, False, False]


def test_preload_with_subdomains_and_a_year_is_accepted():
    result = run_with(DJANGO_HSTS_PRELOAD="true", DJANGO_HSTS_INCLUDE_SUBDOMAINS="true")
    assert json.loads(result.stdout) == [31536000, True, True]


def test_preload_without_subdomains_or_with_a_shorter_time_stops_with_a_clear_error():
    for env in (
        {"DJANGO_HSTS_PRELOAD": "true"},
        {
            "DJANGO_HSTS_PRELOAD": "true",
            "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "true",
            "DJANGO_HSTS_SECONDS": "86400",
        },
    ):
        result = run_with(**env)
        assert result.returncode != 0
        assert "DJANGO_HSTS_PRELOAD=true needs DJANGO_HSTS_INCLUDE_SUBDOMAINS=true" in result.stderr
