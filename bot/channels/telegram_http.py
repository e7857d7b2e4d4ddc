"""python-telegram-bot's networking on aiohttp's client instead of httpx.

PTB sends every Bot API call through a `BaseRequest` (its documented extension point for another HTTP library):
PTB builds the parameters, reads the JSON answer and turns status codes into its errors; the request class only
moves bytes. httpx costs ≈0.9 ms of CPU per call against a local server, aiohttp's C-parsed client ≈0.1 ms, and an
inbound message costs two or three calls (answering the button, the reply, a share of getUpdates). Timeouts keep
HTTPXRequest's meaning: connect, read and pool (waiting for a free connection); a timeout is PTB's `TimedOut`,
any other failure its `NetworkError`. Proxies come from the environment (HTTPS_PROXY, ALL_PROXY, NO_PROXY), as
with httpx, looked up once per host (aiohttp's own `trust_env` looks them up, and reads ~/.netrc, in a thread on
every request). Certificates are checked against the same authorities as httpx: SSL_CERT_FILE or SSL_CERT_DIR when
set, else certifi's bundle (not only the system's, which a slim container may lack).
"""

from __future__ import annotations

import functools
import json
import os
import ssl
import urllib.parse
import urllib.request
from typing import Any

import aiohttp
import certifi
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """One aiohttp session (a pool of `connection_pool_size` connections) per request object."""

    __slots__ = ("_connect", "_pool", "_pool_size", "_proxies", "_read", "_session")

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read, self._connect, self._pool = read_timeout, connect_timeout, pool_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size, ssl=_authorities()),
                cookie_jar=aiohttp.DummyCookieJar(),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        read = self._read if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = self._connect if isinstance(connect_timeout, DefaultValue) else connect_timeout
        pool = self._pool if isinstance(pool_timeout, DefaultValue) else pool_timeout
        timeout = _timeout(read, connect, pool)
        try:
            data, headers = _body(request_data)
            async with self._session.request(
                method, url, data=data, headers=headers, timeout=timeout, proxy=self._proxy(url)
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's timeouts are asyncio's (= the built-in) TimeoutError
            raise TimedOut() from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc

    def _proxy(self, url: str) -> str | None:
        """The environment's proxy for this URL's scheme and host (None: direct), looked up once."""
        parts = urllib.parse.urlsplit(url)
        key = (parts.scheme, parts.netloc)
        if key not in self._proxies:
            proxies = urllib.request.getproxies()
            bypass = urllib.request.proxy_bypass(parts.hostname or "")
            self._proxies[key] = None if bypass else proxies.get(parts.scheme) or proxies.get("all")
        return self._proxies[key]


JSON = {"Content-Type": "application/json"}


class JsonParameters:
    """What AiohttpRequest reads of PTB's RequestData, for parameters that are already the Bot API's JSON (no
    file): a send skips PTB's Bot._post, which builds one RequestParameter per parameter to give the same JSON."""

    __slots__ = ("parameters",)
    multipart_data: dict[str, Any] = {}  # read only: never any file here

    def __init__(self, parameters: dict[str, Any]) -> None:
        self.parameters = {k: v for k, v in parameters.items() if v is not None}  # as Bot._post drops them


async def post_json(request: BaseRequest, url: str, parameters: dict[str, Any]) -> Any:
    """A Bot API call with JSON parameters (no file, no PTB default to fill in) through PTB's own request: the
    same status handling and errors (BadRequest, RetryAfter…) and the same answer (its "result") as Bot._post."""
    return await request.post(url, request_data=JsonParameters(parameters))  # type: ignore[arg-type]


@functools.lru_cache(maxsize=64)
def _timeout(read: float | None, connect: float | None, pool: float | None) -> aiohttp.ClientTimeout:
    """aiohttp's timeouts for these seconds (frozen, so one object serves every request with them)."""
    return aiohttp.ClientTimeout(
        total=None,
        connect=None if connect is None or pool is None else connect + pool,  # a free connection, then connect
        sock_connect=connect,
        sock_read=read,
    )

_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(…, ensure_ascii=False) builds an encoder per call


@functools.cache
def _authorities() -> ssl.SSLContext:
    """httpx's default: SSL_CERT_FILE, else SSL_CERT_DIR, else certifi's bundle (loaded once per process)."""
    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    return ssl.create_default_context(cafile=certifi.where())


def _body(request_data: RequestData | None) -> tuple[bytes | aiohttp.FormData | None, dict[str, str] | None]:
    """The parameters as one JSON object (the Bot API takes JSON for every call without a file; httpx sent a form
    whose percent-encoding of a lesson's Vietnamese text cost more CPU than the rest of the send), or multipart
    with the JSON-encoded parameters when there are files."""
    if request_data is None:
        return None, None
    files = request_data.multipart_data
    if not files:
        return _ENCODE(request_data.parameters).encode(), JSON
    form = aiohttp.FormData(quote_fields=False)
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form, None
