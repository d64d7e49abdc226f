"""Sign-up, sign-in and sign-out with argon2-hashed passwords and an encrypted session cookie."""

from __future__ import annotations

import re
import secrets
from typing import Annotated, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from interview_engine import Conflict
from interview_web.deps import EngineDep
from interview_web.kit import SESSION_ID_KEY, SESSION_USER_KEY, AnyRequest, Viewer, page
from interview_web.ratelimit import SignInThrottle
from interview_web.security import check_csrf, csrf_token

HASHER = PasswordHasher()
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # argon2 hashes anything, but nobody types more; a huge field is refused, not hashed
MAX_NAME = 200  # the users.display_name column
MAX_EMAIL = 320  # the users.email column
#: Shown under the password field before anything is typed, so the first attempt can be the right one.
_RULES = f"At least {MIN_PASSWORD} characters (at most {MAX_PASSWORD}); a phrase of a few words is easiest to remember."
FormBody = Body(media_type=RequestEncodingType.URL_ENCODED)


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect to another site."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


def _signed_in(user_id: str) -> dict[str, str]:
    """A new sign-in session: the user, a CSRF token and an id that signing out revokes."""
    return {SESSION_USER_KEY: user_id, SESSION_ID_KEY: secrets.token_urlsafe(24), "csrf": csrf_token({})}


def _form(request: AnyRequest, template: str, **context: Any) -> Template:
    return page(request, template, user=None, **context)


class AccountController(Controller):
    include_in_schema = False

    @get("/signup", sync_to_thread=False)
    def signup_page(self, request: AnyRequest, next: FromQuery[str | None] = None) -> Template:
        return _form(request, "signup.html", next=_safe_next(next), errors={}, email="", name="", rules=_RULES)

    @post("/signup", sync_to_thread=True, status_code=303)
    def signup(
        self,
        request: AnyRequest,
        engine: EngineDep,
        data: Annotated[dict[str, str], FormBody],
    ) -> Template | Redirect:
        check_csrf(request.session, data.get("_csrf"))
        email = data.get("email", "").strip().lower()[:MAX_EMAIL]
        name = data.get("name", "").strip()[:MAX_NAME]
        password = data.get("password", "")
        errors: dict[str, str] = {}
        if not EMAIL.match(email):
            errors["email"] = "Enter an email address like ada@example.com."
        if len(password) < MIN_PASSWORD:
            errors["password"] = f"Use at least {MIN_PASSWORD} characters."
        elif len(password) > MAX_PASSWORD:
            errors["password"] = f"Use at most {MAX_PASSWORD} characters."
        elif password != data.get("confirm", ""):
            errors["confirm"] = "The two passwords differ."
        if not errors:
            try:
                user = engine.store.create_user(email, display_name=name, password_hash=HASHER.hash(password))
            except Conflict:
                errors["email"] = "An account with this email exists; sign in instead."
        if errors:
            # What was typed stays (never the passwords): only the field in error needs a second look.
            page = _form(
                request,
                "signup.html",
                next=_safe_next(data.get("next")),
                errors=errors,
                email=email,
                name=name,
                rules=_RULES,
            )
            page.status_code = 400
            return page
        request.set_session(_signed_in(user.id))
        return Redirect(path=_safe_next(data.get("next")), status_code=303)

    @get("/signin", sync_to_thread=True)
    def signin_page(
        self, request: AnyRequest, viewer: Viewer, next: FromQuery[str | None] = None
    ) -> Template | Redirect:
        if viewer is not None:
            return Redirect(path=_safe_next(next))
        return _form(request, "signin.html", next=_safe_next(next), error="", email="")

    @post("/signin", sync_to_thread=True, status_code=303)
    def signin(
        self,
        request: AnyRequest,
        engine: EngineDep,
        data: Annotated[dict[str, str], FormBody],
        signin_throttle: NamedDependency[SignInThrottle],
    ) -> Template | Redirect:
        check_csrf(request.session, data.get("_csrf"))
        email = data.get("email", "").strip().lower()
        address = request.client.host if request.client else "unknown"
        wait = signin_throttle.retry_after(email, address)
        if wait:
            page = _form(
                request,
                "signin.html",
                next=_safe_next(data.get("next")),
                email=email,
                error=f"Too many failed sign-ins; try again in {wait} s.",
            )
            page.status_code = 429
            page.headers["Retry-After"] = str(wait)
            return page
        user = engine.store.find_user(email)
        verified = False
        if user is not None and user.password_hash:
            try:
                verified = HASHER.verify(user.password_hash, data.get("password", ""))
            except (VerificationError, InvalidHashError):
                verified = False
        else:
            # Spend the same time on unknown emails: no account enumeration by timing.
            HASHER.hash(data.get("password", "") or "x")
        if not verified or user is None:
            signin_throttle.failed(email, address)
            page = _form(
                request, "signin.html", next=_safe_next(data.get("next")), email=email, error="Wrong email or password."
            )
            page.status_code = 400
            return page
        request.set_session(_signed_in(user.id))
        return Redirect(path=_safe_next(data.get("next")), status_code=303)

    @post("/signout", sync_to_thread=True, status_code=303)
    def signout(self, request: AnyRequest, engine: EngineDep, data: Annotated[dict[str, str], FormBody]) -> Redirect:
        check_csrf(request.session, data.get("_csrf"))
        sid, user_id = request.session.get(SESSION_ID_KEY), request.session.get(SESSION_USER_KEY)
        if isinstance(sid, str) and isinstance(user_id, str):
            engine.store.revoke_sign_in(sid, user_id)  # a copy of this cookie stops working too
        request.clear_session()
        return Redirect(path="/", status_code=303)
