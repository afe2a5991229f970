"""/password/forgot and /password/reset: asking for a reset link by e-mail, then choosing a new
password through it (signed, single use, expiring; see services.notifications)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from accr_graph.services import notifications as service
from accr_graph.services.errors import ServiceFailure
from accr_graph.web.templating import csrf_ok, gettext, page_lang, read_form, render

EXPIRED = "Your form expired; please try again."
BAD_LINK = "This link is not valid any more; ask for a new one."
SHORT = "The password must be at least 10 characters long."


async def forgot_page(request: Request) -> Response:
    settings = request.app.state.settings
    context = {"email": "", "errors": {}, "sent": False, "mail": bool(settings.smtp_url)}
    if request.method == "GET":
        return await render(request, "password_forgot.html", context)
    form = await read_form(request)
    lang = await page_lang(request)
    email = str(form.get("email", ""))[:320]
    context["email"] = email
    if not csrf_ok(request, form):
        context["errors"] = {"email": gettext(lang, EXPIRED)}
        return await render(request, "password_forgot.html", context, 400)
    try:
        await service.request_password_reset(request.app.state.sessionmaker, settings, email)
    except ServiceFailure:
        context["errors"] = {"email": gettext(lang, "Enter the e-mail address of your account.")}
        return await render(request, "password_forgot.html", context, 400)
    context["sent"] = True
    context["minutes"] = settings.password_reset_minutes
    return await render(request, "password_forgot.html", context)


async def reset_page(request: Request) -> Response:
    state = request.app.state
    token = request.query_params.get("token", "")[:500]
    lang = await page_lang(request)
    context = {"token": token, "errors": {}, "done": False, "broken": False}
    if request.method == "GET":
        try:
            await service.check_reset(state.sessionmaker, state.cookies.key, token)
        except ServiceFailure:
            context["broken"] = True
            return await render(request, "password_reset.html", context, 400)
        return await render(request, "password_reset.html", context)
    return await _reset(request, context, lang)


async def _reset(request: Request, context: dict[str, object], lang: str) -> Response:
    state = request.app.state
    form = await read_form(request)
    if not csrf_ok(request, form):
        context["errors"] = {"password": gettext(lang, EXPIRED)}
        return await render(request, "password_reset.html", context, 400)
    password = str(form.get("password", ""))[:1000]
    try:
        await service.reset_password(
            state.sessionmaker, state.cookies.key, str(context["token"]), password
        )
    except ServiceFailure as failure:
        short = getattr(failure.failure, "field", "") == "password"
        context["broken"] = not short
        context["errors"] = {"password": gettext(lang, SHORT)} if short else {}
        return await render(request, "password_reset.html", context, 400)
    context["done"] = True
    return await render(request, "password_reset.html", context)
