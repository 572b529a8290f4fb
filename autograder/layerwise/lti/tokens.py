"""Access tokens for the grade service: the client-credentials grant with a signed JWT assertion."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from .clock import utc

Signer = Callable[[dict[str, Any]], str]

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
EARLY = timedelta(seconds=30)  # renew this long before the platform's expires_in


class TokenError(Exception):
    """The token endpoint failed (down, refusing, throttling): its status and Retry-After."""

    def __init__(self, message: str, *, status: int | None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


@dataclass(frozen=True)
class TokenEndpoint:
    """What a token request needs of a platform registration."""

    client_id: str
    token_url: str


@dataclass
class _Cached:
    token: str
    expires_at: datetime


class TokenCache:
    """Tokens per (token URL, client id, scopes), kept until the `expires_in` the platform gave."""

    def __init__(self) -> None:
        self._tokens: dict[tuple[str, str, str], _Cached] = {}
        self._lock = threading.Lock()

    def forget(self, platform: TokenEndpoint) -> None:
        """Drop a platform's tokens (after a 401)."""
        with self._lock:
            for key in [k for k in self._tokens if k[:2] == (platform.token_url, platform.client_id)]:
                del self._tokens[key]

    def get(self, sign: Signer, http: httpx.Client, platform: TokenEndpoint, now: datetime,
            scopes: str = SCORE_SCOPE) -> str:
        """A valid token, from the cache or from the platform's token endpoint."""
        now = utc(now)
        with self._lock:
            cached = self._tokens.get((platform.token_url, platform.client_id, scopes))
            if cached and cached.expires_at - EARLY > now:
                return cached.token
        token, life = request_token(sign, http, platform, now, scopes)
        with self._lock:
            self._tokens[(platform.token_url, platform.client_id, scopes)] = _Cached(
                token, now + timedelta(seconds=life))
        return token


def request_token(sign: Signer, http: httpx.Client, platform: TokenEndpoint, now: datetime,
                  scopes: str) -> tuple[str, float]:
    """(access token, seconds it lives). The assertion's `aud` is the token URL, as Canvas requires
    (`lib/canvas/oauth/client_credentials_provider.rb`: `expected_aud = oauth2_token_url`)."""
    stamp = int(time.time())  # the platform checks iat/exp against its real clock
    assertion = sign({"iss": platform.client_id, "sub": platform.client_id, "aud": platform.token_url,
                      "iat": stamp, "exp": stamp + 300, "jti": secrets.token_urlsafe(16)})
    form = {"grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion, "scope": scopes}
    try:
        response = http.post(platform.token_url, data=form, headers={"Accept": "application/json"})
    except httpx.HTTPError as err:
        raise TokenError(f"token endpoint unreachable: {type(err).__name__}", status=None) from err
    if response.status_code != 200:
        raise TokenError(f"token endpoint answered {response.status_code}: {response.text[:200]}",
                         status=response.status_code, retry_after=retry_after(response))
    try:
        body = response.json()
        return str(body["access_token"]), float(body.get("expires_in") or 3600)
    except (ValueError, KeyError) as err:
        raise TokenError("token endpoint answered without access_token", status=200) from err


def retryable(response: httpx.Response) -> bool:
    """429, 5xx, and Canvas's throttle (403 "Rate Limit Exceeded", `app/middleware/request_throttle.rb`)."""
    if response.status_code == 429 or response.status_code >= 500:
        return True
    return response.status_code == 403 and (
        response.headers.get("X-Rate-Limit-Remaining") in ("0", "0.0") or "Rate Limit" in response.text)


def retry_after(response: httpx.Response) -> float | None:
    """The `Retry-After` seconds, if the platform said (dates are ignored)."""
    try:
        return float(response.headers["Retry-After"])
    except (KeyError, ValueError):
        return None
