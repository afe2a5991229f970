from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Annotated

import strawberry

from accr_graph.services import auth
from accr_graph.services.errors import ServiceFailure
from schema.accounts.types import ApiToken, User
from schema.context import Info
from schema.errors import Error, to_graphql_error
from schema.mutations import payload, required_pk


@strawberry.input(description="E-mail and password.")
class LoginInput:
    email: str = strawberry.field(description="The account's e-mail.")
    password: str = strawberry.field(description="The account's password.")


@strawberry.type(description="Signed in; the response sets the HttpOnly session cookie.")
class LoginSuccess:
    user: User = strawberry.field(description="The signed-in user.")


@strawberry.type(description="Wrong e-mail or password (one message for both, on purpose).")
class AuthenticationFailed(Error):
    message: str = strawberry.field(description="What went wrong.")


LoginPayload = Annotated[
    LoginSuccess | AuthenticationFailed,
    strawberry.union("LoginPayload", description="Signed in, or why not."),
]


@strawberry.type(description="Signed out: the session ended and its cookie was cleared.")
class LogoutPayload:
    ok: bool = strawberry.field(description="Always true.")


@strawberry.input(description="A new API token.")
class CreateApiTokenInput:
    name: str = strawberry.field(description="What the token is for.")
    scopes: list[str] = strawberry.field(description="read, write, fair and/or admin.")
    expires_at: datetime | None = strawberry.field(
        default=None, description="When it stops working (UTC); null: never."
    )


@strawberry.type(description="The new token. The secret is shown this once and never again.")
class ApiTokenCreated:
    token: ApiToken = strawberry.field(description="The token's record.")
    secret: str = strawberry.field(description="Send it as `Authorization: Bearer <secret>`.")


@strawberry.input(description="Which token to revoke.")
class RevokeApiTokenInput:
    id: strawberry.ID = strawberry.field(description="The token's global ID.")


@strawberry.type(description="The token as it is now.")
class ApiTokenSuccess:
    token: ApiToken = strawberry.field(description="The revoked token.")


if TYPE_CHECKING:
    from schema.errors import MutationError

    CreateApiTokenPayload = ApiTokenCreated | MutationError
    ApiTokenPayload = ApiTokenSuccess | MutationError
else:
    CreateApiTokenPayload = payload(
        "CreateApiTokenPayload", ApiTokenCreated, "A new token with its secret, or why not."
    )
    ApiTokenPayload = payload("ApiTokenPayload", ApiTokenSuccess, "A token, or why not.")


@strawberry.type
class AccountMutation:
    @strawberry.mutation(description="Sign in with e-mail and password (sets a session cookie).")
    async def login(self, info: Info, input: LoginInput) -> LoginPayload:
        context = info.context
        signed_in = await auth.sign_in(
            context.sessionmaker, input.email, input.password, context.address, context.settings
        )
        if signed_in is None:
            return AuthenticationFailed(message=auth.GENERIC_LOGIN_ERROR)
        if context.cookies is not None:
            context.response_hooks.append(
                partial(context.cookies.set_session, secret=signed_in.session_secret)
            )
        return LoginSuccess(user=User.from_model(signed_in.user))

    @strawberry.mutation(description="Sign out: end this browser session.")
    async def logout(self, info: Info) -> LogoutPayload:
        context = info.context
        cookies, request = context.cookies, context.request
        secret = cookies.read_session(request) if cookies and request else None
        if secret:
            await auth.sign_out(context.db, secret)
        if cookies is not None:
            context.response_hooks.append(cookies.clear_session)
        return LogoutPayload(ok=True)

    @strawberry.mutation(description="Create an API token acting as you, narrowed to its scopes.")
    async def create_api_token(
        self, info: Info, input: CreateApiTokenInput
    ) -> CreateApiTokenPayload:
        context = info.context
        try:
            issued = await auth.create_token(
                context.db, context.actor, input.name, input.scopes, input.expires_at
            )
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return ApiTokenCreated(token=ApiToken.from_model(issued.token), secret=issued.secret)

    @strawberry.mutation(description="Revoke one of your API tokens (staff: anyone's).")
    async def revoke_api_token(self, info: Info, input: RevokeApiTokenInput) -> ApiTokenPayload:
        context = info.context
        try:
            token_id = required_pk(input.id, "ApiToken", "id")
            row = await auth.revoke_token(context.db, context.actor, token_id)
        except ServiceFailure as failure:
            return to_graphql_error(failure.failure)
        return ApiTokenSuccess(token=ApiToken.from_model(row))
