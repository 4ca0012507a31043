"""The one outbound HTTP client: SSRF-safe, pinned to checked addresses, capped in size and time."""

from __future__ import annotations

import re
import socket
import ssl
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from typing import Any

import httpcore
import httpx

from postil.core.errors import InvalidError, TooLargeError

IPAddress = IPv4Address | IPv6Address
CHUNK = 1 << 16
NAT64_NETWORKS = (ip_network("64:ff9b::/96"), ip_network("64:ff9b:1::/48"))
CREDENTIAL_HEADERS = ("authorization", "cookie", "proxy-authorization")


@dataclass(frozen=True)
class FetchResult:
    """A complete 2xx response."""

    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes


class BlockedAddressError(Exception):
    """Raised inside the transport when a host resolves to an address we may not connect to."""


def translated_ipv4(ip: IPv6Address) -> IPv4Address | None:
    """The IPv4 address that an IPv4-mapped or NAT64 address really reaches."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if any(ip in network for network in NAT64_NETWORKS):
        return IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def tunnelled_ipv4(ip: IPv6Address) -> IPv4Address | None:
    """The IPv4 endpoint inside a tunnel address (6to4, Teredo, deprecated IPv4-compatible)."""
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if int(ip) >> 32 == 0:
        return IPv4Address(int(ip))
    return None


def is_public_address(ip: IPAddress) -> bool:
    """True only for globally routable unicast addresses, looking inside IPv6 wrappings."""
    if isinstance(ip, IPv6Address):
        translated = translated_ipv4(ip)
        if translated is not None:
            return is_public_address(translated)
        tunnelled = tunnelled_ipv4(ip)
        if ip.is_site_local or (tunnelled is not None and not is_public_address(tunnelled)):
            return False
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def is_never_allowed(ip: IPAddress) -> bool:
    """Addresses that are no destination at all, even for an admin allow-list (0.0.0.0, ::)."""
    inner = translated_ipv4(ip) if isinstance(ip, IPv6Address) else None
    return ip.is_unspecified or ip.is_multicast or (inner is not None and is_never_allowed(inner))


class AddressPolicy:
    """Resolves a host once and decides whether every address it has may be connected to."""

    def __init__(self, allow_hosts: Iterable[str], allow_private: bool) -> None:
        self.allow_hosts = frozenset(h.strip().lower() for h in allow_hosts)
        self.allow_private = allow_private

    def is_trusted(self, host: str, port: int) -> bool:
        """An admin listed this host, as `host` or `host:port` (IPv6 as `[addr]:port`)."""
        netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        return host.lower() in self.allow_hosts or netloc.lower() in self.allow_hosts

    def resolve(self, host: str, port: int) -> list[IPAddress]:
        """All addresses of the host, or BlockedAddressError if any one of them is refused."""
        host = host.strip("[]")
        trusted = self.allow_private or self.is_trusted(host, port)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError("could not resolve host") from exc
        addresses = list(
            dict.fromkeys(
                ip_address(info[4][0])
                for info in infos
                if info[0] in (socket.AF_INET, socket.AF_INET6)
            )
        )
        if not addresses:
            raise httpcore.ConnectError("host has no address")
        for ip in addresses:
            if is_never_allowed(ip) or not (trusted or is_public_address(ip)):
                raise BlockedAddressError(host)
        return addresses


class PinnedBackend(httpcore.SyncBackend):
    """Connects to the addresses AddressPolicy checked, never to a second DNS answer.

    httpcore hands the backend the URL's hostname and keeps using that hostname for the Host
    header and for TLS SNI and certificate checks, so pinning here leaves HTTPS correct.
    """

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        error: Exception = httpcore.ConnectError("connection failed")
        for ip in self.policy.resolve(host, port):
            try:
                stream = super().connect_tcp(str(ip), port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                error = exc
                continue
            peer = stream.get_extra_info("server_addr")
            if peer is None or ip_address(peer[0]) != ip:
                stream.close()
                raise BlockedAddressError(host)
            return stream
        raise error


class PinnedTransport(httpx.HTTPTransport):
    """httpx's transport with its connection pool rebuilt around PinnedBackend.

    httpx offers no public hook for the network backend; we replace the pool it builds and
    refuse to start if a future httpx stops keeping it in `_pool` (tests also prove the
    backend is used, through a DNS rebinding case).
    """

    def __init__(self, policy: AddressPolicy, *, verify: ssl.SSLContext | bool = True) -> None:
        super().__init__(verify=verify, trust_env=False)
        if not isinstance(getattr(self, "_pool", None), httpcore.ConnectionPool):
            raise RuntimeError("unsupported httpx version: cannot pin connections")
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            network_backend=PinnedBackend(policy),
        )


def display_url(url: str) -> str:
    """The URL as the caller gave it, without credentials or control characters, for messages."""
    text = re.sub(r"(?<=//)[^/?#@]*@", "", str(url))
    return "".join(c for c in text if c.isprintable())[:300]


def refused(shown: str, reason: str) -> InvalidError:
    """The one error shape of this module; never carries anything the upstream sent."""
    message = f"could not fetch {shown}: {reason}"
    return InvalidError(message, [{"loc": ["url"], "msg": message}])


@contextmanager
def translated_errors(shown: str) -> Iterator[None]:
    """Turn transport failures into InvalidError with a fixed reason."""
    try:
        yield
    except BlockedAddressError:
        raise refused(shown, "address not allowed") from None
    except httpx.TimeoutException as exc:
        raise refused(shown, "timed out") from exc
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise refused(shown, "invalid URL") from exc
    except httpx.HTTPError as exc:
        raise refused(shown, "connection failed") from exc


def is_numeric_host(host: str) -> bool:
    """A host spelled as a number (2130706433, 0x7f000001, 127.1): no DNS name ends in digits."""
    last = host.rstrip(".").rsplit(".", 1)[-1].lower()
    return last.isdigit() or bool(re.fullmatch(r"0x[0-9a-f]*", last))


def checked_url(url: httpx.URL, shown: str) -> httpx.URL:
    """Refuse non-HTTP schemes and numeric host spellings other than the canonical one."""
    if url.scheme not in ("http", "https"):
        raise refused(shown, "only http and https URLs are allowed")
    if not url.host:
        raise refused(shown, "invalid URL")
    if ":" not in url.host and is_numeric_host(url.host):
        try:
            ip_address(url.host)
        except ValueError:
            raise refused(shown, "address not allowed") from None
    return url


def without_credentials(headers: Mapping[str, str] | None) -> dict[str, str] | None:
    """Headers to send to another origin after a redirect."""
    if headers is None:
        return None
    return {k: v for k, v in headers.items() if k.lower() not in CREDENTIAL_HEADERS}


class FetchStream:
    """An open 2xx response whose body is read in chunks under the size and time caps."""

    def __init__(
        self, response: httpx.Response, shown: str, max_bytes: int, deadline: float
    ) -> None:
        self.final_url = str(response.url)
        self.status = response.status_code
        self.headers = dict(response.headers.items())
        self._response = response
        self._shown = shown
        self._max_bytes = max_bytes
        self._deadline = deadline

    def iter_bytes(self) -> Iterator[bytes]:
        """The body in chunks; TooLargeError past max_bytes, InvalidError past the deadline."""
        received = 0
        with translated_errors(self._shown):
            for chunk in self._response.iter_bytes(CHUNK):
                received += len(chunk)
                if received > self._max_bytes:
                    raise TooLargeError(
                        f"response from {self._shown} is over the limit of {self._max_bytes} bytes"
                    )
                if time.monotonic() > self._deadline:
                    raise refused(self._shown, "timed out")
                yield chunk

    def read(self) -> bytes:
        """The whole body, capped."""
        return b"".join(self.iter_bytes())


class SafeFetcher:
    """Fetches URLs for imports, webhooks and model servers without reaching internal hosts.

    `allow_hosts` ("host" or "host:port") and `allow_private` are the admin allow-list: they
    lift the private-address rule for those hosts (or all), never the scheme or size rules.
    `timeout` bounds each network operation and, checked between chunks, the whole fetch.
    """

    def __init__(
        self,
        allow_hosts: Iterable[str] = (),
        allow_private: bool = False,
        *,
        max_bytes: int,
        timeout: float,
        max_redirects: int = 3,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.policy = AddressPolicy(allow_hosts, allow_private)
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.max_redirects = max_redirects
        self.verify = verify

    def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
    ) -> FetchResult:
        """The whole response; InvalidError for refused, failed or non-2xx, TooLargeError."""
        with self.stream(url, method=method, headers=headers, content=content) as response:
            body = response.read()
            return FetchResult(response.final_url, response.status, response.headers, body)

    @contextmanager
    def stream(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
    ) -> Iterator[FetchStream]:
        """An open 2xx response to read with `iter_bytes()`; closed when the block ends."""
        shown = display_url(url)
        deadline = time.monotonic() + self.timeout
        with self._client() as client, translated_errors(shown):
            response = self._send(client, url, shown, method, headers, content, deadline)
            try:
                if not response.is_success:
                    raise refused(shown, f"HTTP {response.status_code}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise TooLargeError(
                        f"response from {shown} is over the limit of {self.max_bytes} bytes"
                    )
                yield FetchStream(response, shown, self.max_bytes, deadline)
            finally:
                response.close()

    def _client(self) -> httpx.Client:
        return httpx.Client(
            transport=PinnedTransport(self.policy, verify=self.verify),
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=False,
            trust_env=False,  # an environment proxy would connect for us, unchecked
            headers={"User-Agent": "Postil", "Accept-Encoding": "identity"},
        )

    def _send(
        self,
        client: httpx.Client,
        url: str,
        shown: str,
        method: str,
        headers: Mapping[str, str] | None,
        content: bytes | None,
        deadline: float,
    ) -> httpx.Response:
        """Follow redirects by hand so that every hop is checked like the first."""
        target = checked_url(httpx.URL(url), shown)
        for _ in range(self.max_redirects + 1):
            if time.monotonic() > deadline:
                raise refused(shown, "timed out")
            request = client.build_request(method, target, headers=headers, content=content)
            response = client.send(request, stream=True)
            if not response.is_redirect:
                return response
            response.close()
            location = checked_url(response.url.join(response.headers["location"]), shown)
            if response.status_code in (301, 302, 303) and method != "HEAD":
                method, content = "GET", None
            if (location.scheme, location.netloc) != (target.scheme, target.netloc):
                headers = without_credentials(headers)
            target = location
        raise refused(shown, "too many redirects")
