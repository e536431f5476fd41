"""Accounts: password hashing, login with rate limiting, sessions, API tokens. The caller commits."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from vigie.accounts.models import ApiToken, LoginAttempt, LoginSession, Membership, User
from vigie.core.clock import utcnow
from vigie.core.errors import ConflictError, NotFoundError, ValidationFailedError, VigieError
from vigie.workspace.models import TeamMember, Workspace

SESSION_LIFETIME = timedelta(hours=12)
LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILED_LOGINS = 5
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "vgt_"  # noqa: S105 - a public prefix, not a secret

_hasher = PasswordHasher()


class TooManyAttemptsError(VigieError):
    code = "too_many_attempts"
    http_status = 429


class InvalidCredentialsError(VigieError):
    code = "invalid_credentials"
    http_status = 401


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    local, _, domain = cleaned.partition("@")
    if not local or "." not in domain or " " in cleaned:
        raise ValidationFailedError(f"'{email}' is not an e-mail address (expected name@domain.tld)")
    return cleaned


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailedError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    return _hasher.hash(password)


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    display_name: str | None = None,
    locale: str = "fr",
) -> User:
    address = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == address)) is not None:
        raise ConflictError(f"A user with e-mail {address} already exists.")
    if locale not in ("fr", "en"):
        raise ValidationFailedError(f"Unknown locale '{locale}': use fr or en.")
    user = User(
        email=address,
        display_name=display_name or address.split("@")[0],
        password_hash=hash_password(password),
        locale=locale,
    )
    session.add(user)
    session.flush()
    return user


def grant_membership(
    session: Session,
    *,
    user: User,
    workspace: Workspace,
    roles: list[str],
    member_key: str | None = None,
) -> Membership:
    member_id = None
    if member_key is not None:
        member = session.scalar(
            select(TeamMember).where(TeamMember.workspace_id == workspace.id, TeamMember.key == member_key)
        )
        if member is None:
            raise ValidationFailedError(f"No team member '{member_key}' in workspace {workspace.slug}.")
        member_id = member.id
    membership = session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.workspace_id == workspace.id)
    )
    if membership is None:
        membership = Membership(user_id=user.id, workspace_id=workspace.id, roles=sorted(set(roles)))
        session.add(membership)
    else:
        membership.roles = sorted(set(membership.roles) | set(roles))
    if member_id is not None:
        membership.member_id = member_id
    session.flush()
    return membership


def _check_rate_limit(session: Session, key: str) -> None:
    since = utcnow() - LOGIN_WINDOW
    failures = session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.key == key, LoginAttempt.created_at >= since)
    )
    if (failures or 0) >= MAX_FAILED_LOGINS:
        raise TooManyAttemptsError("Too many failed logins. Wait 15 minutes and try again.")


def authenticate(session: Session, *, email: str, password: str, client: str) -> User:
    """Return the user, or raise. Failures are recorded per e-mail and per client address."""
    address = email.strip().lower()
    keys = (f"email:{address}", f"client:{client}")
    for key in keys:
        _check_rate_limit(session, key)
    user = session.scalar(select(User).where(User.email == address))
    ok = False
    if user is not None and user.is_active:
        try:
            ok = _hasher.verify(user.password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
    else:
        # Spend the same time as a real check so that timing does not reveal which e-mails exist.
        _hasher.hash(password or "-")
    if not ok or user is None:
        for key in keys:
            session.add(LoginAttempt(key=key))
        session.flush()
        raise InvalidCredentialsError("Unknown e-mail or wrong password.")
    session.execute(delete(LoginAttempt).where(LoginAttempt.key == keys[0]))
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


@dataclass(frozen=True)
class NewSession:
    cookie_value: str
    csrf_token: str
    record: LoginSession


def open_session(session: Session, *, user: User) -> NewSession:
    cookie_value = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    record = LoginSession(
        token_hash=_sha256(cookie_value),
        user_id=user.id,
        csrf_token=csrf,
        expires_at=utcnow() + SESSION_LIFETIME,
    )
    session.add(record)
    session.flush()
    return NewSession(cookie_value=cookie_value, csrf_token=csrf, record=record)


def resolve_session(session: Session, cookie_value: str) -> tuple[User, LoginSession] | None:
    record = session.scalar(select(LoginSession).where(LoginSession.token_hash == _sha256(cookie_value)))
    if record is None or record.expires_at <= utcnow():
        return None
    user = session.get(User, record.user_id)
    if user is None or not user.is_active:
        return None
    return user, record


def close_session(session: Session, cookie_value: str) -> None:
    session.execute(delete(LoginSession).where(LoginSession.token_hash == _sha256(cookie_value)))


@dataclass(frozen=True)
class NewToken:
    secret: str
    record: ApiToken


def create_api_token(session: Session, *, user: User, name: str) -> NewToken:
    if not name.strip() or len(name) > 100:
        raise ValidationFailedError("A token needs a name of 1 to 100 characters.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, name=name.strip(), prefix=secret[:10], token_hash=_sha256(secret))
    session.add(record)
    session.flush()
    return NewToken(secret=secret, record=record)


def resolve_api_token(session: Session, secret: str) -> User | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    record = session.scalar(select(ApiToken).where(ApiToken.token_hash == _sha256(secret)))
    if record is None or record.revoked:
        return None
    user = session.get(User, record.user_id)
    if user is None or not user.is_active:
        return None
    record.last_used_at = utcnow()
    return user


def memberships_of(session: Session, user: User) -> list[tuple[Membership, Workspace]]:
    rows = session.execute(
        select(Membership, Workspace)
        .join(Workspace, Workspace.id == Membership.workspace_id)
        .where(Membership.user_id == user.id)
        .order_by(Workspace.slug)
    ).all()
    return [(row[0], row[1]) for row in rows]


def list_api_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's personal API tokens (revoked ones included), newest first; secrets are never stored."""
    return list(
        session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc()))
    )


def revoke_api_token(session: Session, *, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's tokens; another user's token does not exist for them."""
    record = session.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
    if record is None:
        raise NotFoundError(f"You have no API token #{token_id}; see GET /api/v1/tokens.")
    record.revoked = True
    session.flush()
    return record
