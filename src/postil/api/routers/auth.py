"""Log in and out, who am I, sign-up (off by default), API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from postil.api import password_checks
from postil.api.body import StrictRoute
from postil.api.deps import CSRF_COOKIE, SESSION_COOKIE, ActorDep, RuntimeDep, check_csrf
from postil.api.models import (
    Id,
    LoginIn,
    LoginOut,
    MeOut,
    SignupIn,
    TokenCreate,
    TokenOut,
    UserOut,
)
from postil.services import instance_settings, users

router = APIRouter(prefix="/api/auth", tags=["auth"], route_class=StrictRoute)


@router.post("/login")
async def login(body: LoginIn, request: Request, response: Response,
                rt: RuntimeDep) -> LoginOut:
    # The password check runs in a worker thread, never on the event loop (password_checks).
    tokens = await password_checks.log_in(request, rt, body.username, body.password)
    age = rt.settings.session_days * 86400
    secure = rt.settings.secure_cookies
    response.set_cookie(SESSION_COOKIE, tokens.token, max_age=age, httponly=True,
                        samesite="lax", secure=secure, path="/")
    response.set_cookie(CSRF_COOKIE, tokens.csrf, max_age=age, httponly=False,
                        samesite="strict", secure=secure, path="/")
    return LoginOut(user=UserOut(**tokens.user), csrf_token=tokens.csrf)


@router.post("/logout", status_code=204)
def logout(request: Request, response: Response, rt: RuntimeDep) -> None:
    # A write like any other: a live session must send its CSRF header, so that another
    # site's form cannot log the user out (a 403 deletes no cookie).
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        live = users.session_csrf(rt, token)
        if live is not None:
            check_csrf(request, live)
        users.logout(rt, token)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


@router.get("/me")
def me(actor: ActorDep, rt: RuntimeDep) -> MeOut:
    """The user, and what the web app should offer them."""
    return MeOut(**users.user_by_name(rt, actor.username),
                 can_create_projects=instance_settings.can_create_projects(rt, actor))


@router.post("/signup", status_code=201)
def signup(body: SignupIn, rt: RuntimeDep) -> UserOut:
    return UserOut(**users.signup(rt, body.username, body.password, body.email))


@router.get("/tokens")
def list_tokens(actor: ActorDep, rt: RuntimeDep) -> list[TokenOut]:
    return [TokenOut(**t) for t in users.list_tokens(rt, actor)]


@router.post("/tokens", status_code=201)
def create_token(body: TokenCreate, actor: ActorDep, rt: RuntimeDep) -> TokenOut:
    return TokenOut(**users.create_token(rt, actor, body.name))


@router.delete("/tokens/{token_id}", status_code=204)
def delete_token(token_id: Id, actor: ActorDep, rt: RuntimeDep) -> None:
    users.delete_token(rt, actor, token_id)
