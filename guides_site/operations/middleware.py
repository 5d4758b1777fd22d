import functools
import re

from csp import constants as csp_constants
from csp import middleware as csp_middleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.utils.log import log_response
from log_request_id import middleware as log_request_id

from guides_site.guides.tokens import random_bytes

from .health import readiness
from .views import error_page

# An incoming X-Request-ID (from the proxy in front) is kept only if it is short and plain:
# it goes into every log line, where a client's text must not start lines of its own.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:=+/-]{1,64}")


class RequestIDMiddleware(log_request_id.RequestIDMiddleware):
    """django-log-request-id's middleware, given a new id in place of an unsafe incoming one.

    It must come before GuidePageMiddleware, which replays the headers of a kept page: each
    response gets its own request's id.
    """

    def _generate_id(self):
        # uuid4() makes a call to os.urandom of its own; these bytes come in bulk.
        return random_bytes(16).hex()

    def __call__(self, request):
        incoming = request.META.get(settings.LOG_REQUEST_ID_HEADER)
        if incoming is not None and not SAFE_REQUEST_ID.fullmatch(incoming):
            del request.META[settings.LOG_REQUEST_ID_HEADER]
        return super().__call__(request)


class HealthCheckMiddleware:
    """/healthz (the process answers) and /readyz (it can reach the database and the cache).

    Answered ahead of the rest of the middleware: load balancers probe over plain HTTP, with
    the server's address as Host, so these must pass the HTTPS redirect and the Host check, and
    they set no cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return HttpResponse("ok\n", content_type="text/plain")
        if request.path_info == "/readyz":
            results = readiness()
            ready = all(results.values())
            response = JsonResponse(
                {name: "ok" if ok else "unavailable" for name, ok in results.items()},
                status=200 if ready else 503,
            )
            if not ready:
                log_response(
                    "Not ready: %s",
                    ", ".join(name for name, ok in results.items() if not ok),
                    response=response,
                    request=request,
                )
            return response
        return self.get_response(request)


class RequestBodyMiddleware:
    """Refuse, before anything reads it, a body no page of this site takes.

    Readers' forms send a few kilobytes of UTF-8 form data; only the admin takes more. A bigger
    body would cost memory, and another charset a BadRequest from the CSRF check. (Files are
    refused by DATA_UPLOAD_MAX_NUMBER_FILES.) Each refusal is one line in the log.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self.refusal(request)
        if refusal is None:
            return self.get_response(request)
        status, reason = refusal
        response = error_page(request, "400.html", status)
        log_response(
            "%s (%s): %s",
            response.reason_phrase,
            reason,
            request.path,
            response=response,
            request=request,
        )
        return response

    def refusal(self, request):
        """(status, reason) if the body is refused, else None."""
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None  # Django reads no body then either
        if length <= 0:
            return None
        if request.path_info.startswith("/admin/"):
            limit = settings.ADMIN_REQUEST_BODY_MAX_BYTES
        else:
            limit = settings.REQUEST_BODY_MAX_BYTES
        if length > limit:
            return 413, f"{length} bytes, at most {limit}"
        charset = request.content_params.get("charset", "utf-8")
        if charset.lower() not in ("utf-8", "us-ascii"):
            return 400, f"charset {charset}"
        return None


# What a view or decorator may set to change a response's policy; none of ours does.
_PER_RESPONSE_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


@functools.cache
def _site_policy():
    return build_policy()


@receiver(setting_changed)
def _forget_site_policy(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policy.cache_clear()


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware, with the site's policy built once instead of per response.

    Our policy has no nonce and no view changes it, so its header is the same for every
    response; building it took a tenth of a page view for readers with cookies (bench). A
    response that asks for anything else (a nonce, a decorator) goes through django-csp whole.
    """

    def process_response(self, request, response):
        if (
            settings.DEBUG
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE_POLICY)
        ):
            return super().process_response(request, response)
        excluded = settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES") or ()
        if csp_constants.HEADER not in response and not request.path_info.startswith(
            tuple(excluded)
        ):
            response[csp_constants.HEADER] = _site_policy()
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
