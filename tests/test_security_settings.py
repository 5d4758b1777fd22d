import json
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from .factories import make_guide

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "guides.example",
    "SITE_URL": "https://guides.example",
    "EMAIL_HOST": "smtp.guides.example",
    "PATH": "/usr/bin:/bin",
}


def run_with(env, *args):
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = run_with(PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_cookies_are_secure_http_only_and_same_site():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, "
        "s.CSRF_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT]))"
    )
    result = run_with({**PRODUCTION, "DJANGO_SETTINGS_MODULE": "guides_site.settings"}, "-c", code)
    assert json.loads(result.stdout) == [True, True, "Lax", True, True, "Lax", 31536000, True]


def test_production_without_a_secret_key_stops_with_a_clear_error():
    env = {key: value for key, value in PRODUCTION.items() if key != "DJANGO_SECRET_KEY"}
    result = run_with(env, "manage.py", "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off" in result.stderr


def test_production_without_a_mail_server_refuses_to_start():
    env = {key: value for key, value in PRODUCTION.items() if key != "EMAIL_HOST"}
    result = run_with(env, "manage.py", "check")
    assert result.returncode != 0
    assert "EMAIL_HOST is not set" in result.stderr


def test_development_without_a_mail_server_prints_mails_to_the_console():
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    env = {key: value for key, value in PRODUCTION.items() if key != "EMAIL_HOST"}
    result = run_with({**env, "DJANGO_DEBUG": "true"}, "manage.py", "shell", "-v", "0", "-c", code)
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


def test_an_unreadable_setting_stops_with_a_clear_error():
    result = run_with({**PRODUCTION, "DJANGO_DEBUG": "maybe"}, "manage.py", "check")
    assert "DJANGO_DEBUG must be true or false, not 'maybe'" in result.stderr


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy_and_safety_headers(client):
    make_guide()
    for url in ("/", "/acme/", "/acme/refund/", "/acme/refund/step/1/", "/admin/login/"):
        response = client.get(url)
        policy = dict(
            part.strip().split(" ", 1)
            for part in response["Content-Security-Policy"].split(";")
            if part.strip()
        )
        assert policy["script-src"] == "'self'", url
        assert "unsafe" not in response["Content-Security-Policy"], url
        assert policy["frame-ancestors"] == "'none'", url
        assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        assert "camera=()" in response["Permissions-Policy"], url


@pytest.mark.django_db
def test_the_policy_built_once_is_django_csps_and_follows_a_settings_change(client, settings):
    from csp.utils import build_policy

    make_guide()
    assert client.get("/acme/refund/")["Content-Security-Policy"] == build_policy()
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/acme/")["Content-Security-Policy"] == "default-src 'none'"


@pytest.mark.django_db
def test_the_visitor_cookie_is_http_only_and_same_site(client):
    make_guide()
    response = client.get("/acme/refund/")
    cookie = response.cookies["visitor"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_htmx_is_configured_for_a_strict_policy(client, db):
    html = client.get("/about/").content.decode()
    assert '"allowEval": false' in html and '"includeIndicatorStyles": false' in html
    assert "<script>" not in html and " onclick=" not in html
