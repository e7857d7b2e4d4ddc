"""A minimal HTTP/1.1 client for the fakes' webhook deliveries: POSTs over kept-alive connections, one pool per
host and port.

aiohttp's ClientSession costs about as much CPU per request as the server it calls (request and response
objects, cookie jar, tracing hooks, timers): in the inbound benchmarks, where the fake plays Telegram and the
load balancer on the same cores as the bot, that overhead was counted against the bot's scaling. This client
writes one buffer per request and reads the status line, the headers and a Content-Length (or chunked) body.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit


class HttpPoster:
    def __init__(self, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self._idle: dict[tuple[str, int], list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]] = {}
        self._targets: dict[str, tuple[str, int, bytes]] = {}

    def _target(self, url: str) -> tuple[str, int, bytes]:
        target = self._targets.get(url)
        if target is None:
            parts = urlsplit(url)
            if parts.scheme != "http" or not parts.hostname:
                raise ValueError(f"only http:// URLs are supported: {url!r}")
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            host = parts.hostname
            port = parts.port or 80
            head = f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n".encode("latin-1")
            target = self._targets[url] = (host, port, head)
        return target

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        """POST `body`; returns (status, reason). Raises OSError (or TimeoutError) when no answer came."""
        host, port, head = self._target(url)
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        request = b"%s%sContent-Length: %d\r\n\r\n%s" % (head, extra.encode("latin-1"), len(body), body)
        async with asyncio.timeout(self.timeout):
            idle = self._idle.setdefault((host, port), [])
            while idle:  # a kept-alive connection the server may have closed meanwhile: then a new one
                reader, writer = idle.pop()
                try:
                    return await self._exchange(reader, writer, request, idle)
                except asyncio.IncompleteReadError as exc:
                    writer.close()
                    if exc.partial:  # the server had begun to answer: the request was seen, not sent again
                        raise ConnectionResetError("connection closed before a full response") from exc
                except (ConnectionResetError, BrokenPipeError):
                    writer.close()
            reader, writer = await asyncio.open_connection(host, port)
            try:
                return await self._exchange(reader, writer, request, idle)
            except asyncio.IncompleteReadError as exc:
                writer.close()
                raise ConnectionResetError("connection closed before a full response") from exc
            except BaseException:
                writer.close()
                raise

    async def _exchange(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        request: bytes,
        idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]],
    ) -> tuple[int, str]:
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        version, _, rest = lines[0].partition(" ")
        code, _, reason = rest.partition(" ")
        status = int(code)
        length = 0
        chunked = False
        close = version != "HTTP/1.1"
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection":
                close = value.strip().lower() == "close" or (close and value.strip().lower() != "keep-alive")
        if chunked:
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await reader.readexactly(size + 2)
                if size == 0:
                    break
        elif length:
            await reader.readexactly(length)
        if close:
            writer.close()
        else:
            idle.append((reader, writer))
        return status, reason

    async def close(self) -> None:
        for pool in self._idle.values():
            for _reader, writer in pool:
                writer.close()
        self._idle.clear()
