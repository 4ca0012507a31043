"""SafeFetcher: no request reaches a local canary unless an admin allowed it; caps hold."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from ipaddress import ip_address
from pathlib import Path
from typing import Any

import httpcore
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from postil.core.errors import InvalidError, TooLargeError
from postil.services.fetch import SafeFetcher, is_public_address

PUBLIC_IP = "93.184.216.34"


@pytest.fixture
def canary(httpserver_ipv4: HTTPServer) -> Iterator[HTTPServer]:
    """A server on 127.0.0.1 that must receive nothing in the refusal tests."""
    yield httpserver_ipv4
    httpserver_ipv4.clear()


@pytest.fixture
def redirector() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    server.stop()


def fetcher(**kwargs: Any) -> SafeFetcher:
    return SafeFetcher(**{"max_bytes": 10_000, "timeout": 5.0, **kwargs})


def refusal(url: str, **kwargs: Any) -> InvalidError:
    with pytest.raises(InvalidError) as err:
        fetcher(**kwargs).fetch(url)
    assert err.value.message.startswith("could not fetch ")
    return err.value


class FakeDNS:
    """Answers for a few test names, real DNS for everything else; counts lookups."""

    def __init__(self, answers: dict[str, list[list[str]]]) -> None:
        self.answers = answers
        self.calls: dict[str, int] = {}
        self.real = socket.getaddrinfo

    def __call__(self, host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in self.answers:
            return self.real(host, port, *args, **kwargs)
        n = self.calls[host] = self.calls.get(host, 0) + 1
        ips = self.answers[host][min(n, len(self.answers[host])) - 1]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, int(port))) for ip in ips]


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every TCP connect; the public test address is unreachable without a network."""
    seen: list[str] = []
    original = httpcore.SyncBackend.connect_tcp

    def connect_tcp(
        self: httpcore.SyncBackend, host: str, port: int, *args: Any, **kwargs: Any
    ) -> httpcore.NetworkStream:
        seen.append(host)
        if host == PUBLIC_IP:
            raise httpcore.ConnectError("unreachable in tests")
        return original(self, host, port, *args, **kwargs)

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", connect_tcp)
    return seen


class TestRefusedTargets:
    @pytest.mark.parametrize(
        "template",
        [
            "http://127.0.0.1:{port}/",
            "http://localhost:{port}/",
            "http://LOCALHOST:{port}/",
            "http://[::1]:{port}/",
            "http://2130706433:{port}/",
            "http://0x7f000001:{port}/",
            "http://127.1:{port}/",
            "http://[::ffff:127.0.0.1]:{port}/",
            "http://[::ffff:7f00:1]:{port}/",
            "http://[64:ff9b::7f00:1]:{port}/",
            "http://[2002:7f00:1::]:{port}/",
            "http://[::127.0.0.1]:{port}/",
            "http://0.0.0.0:{port}/",
            "http://[::]:{port}/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[fe80::1]:{port}/",
            "http://10.0.0.1:{port}/",
            "http://192.168.1.1/",
            "http://100.64.0.1/",
            "http://224.0.0.1/",
        ],
    )
    def test_private_addresses_never_reach_the_canary(
        self, canary: HTTPServer, template: str
    ) -> None:
        canary.expect_request("/").respond_with_data("canary")
        url = template.format(port=canary.port)
        error = refusal(url)
        assert error.message == f"could not fetch {url}: address not allowed"
        assert canary.log == []

    def test_octal_spelling_is_refused(self, canary: HTTPServer) -> None:
        refusal(f"http://0177.0.0.1:{canary.port}/")
        assert canary.log == []

    @pytest.mark.parametrize(
        "url",
        [
            "file:///etc/passwd",
            "gopher://127.0.0.1:70/_GET",
            "ftp://example.com/x",
            "dict://127.0.0.1:11211/stat",
        ],
    )
    def test_other_schemes(self, url: str) -> None:
        assert "only http and https" in refusal(url).message

    def test_allow_list_is_per_host_and_port(self, canary: HTTPServer) -> None:
        refusal(f"http://127.0.0.1:{canary.port}/", allow_hosts={"127.0.0.1:1"})
        refusal(f"http://2130706433:{canary.port}/", allow_hosts={"127.0.0.1"})
        assert canary.log == []

    def test_credentials_are_not_echoed(self) -> None:
        error = refusal("http://user:hunter2@127.0.0.1:9/")
        assert "hunter2" not in error.message


class TestRedirects:
    def test_allowed_host_redirecting_to_private_is_refused(
        self, canary: HTTPServer, redirector: HTTPServer
    ) -> None:
        canary.expect_request("/secret").respond_with_data("secret")
        for target in (
            f"http://127.0.0.1:{canary.port}/secret",
            f"http://localhost:{canary.port}/secret",
            f"http://2130706433:{canary.port}/secret",
            "file:///etc/passwd",
        ):
            redirector.clear()
            redirector.expect_request("/go").respond_with_data(
                "", status=302, headers={"Location": target}
            )
            url = f"http://127.0.0.1:{redirector.port}/go"
            refusal(url, allow_hosts={f"127.0.0.1:{redirector.port}"})
            assert len(redirector.log) == 1
        assert canary.log == []

    def test_too_many_redirects(self, redirector: HTTPServer) -> None:
        redirector.expect_request("/loop").respond_with_data(
            "", status=302, headers={"Location": "/loop"}
        )
        error = refusal(f"http://127.0.0.1:{redirector.port}/loop", allow_private=True)
        assert error.message.endswith(": too many redirects")
        assert len(redirector.log) == 4

    def test_allowed_chain_is_followed_without_credentials(
        self, canary: HTTPServer, redirector: HTTPServer
    ) -> None:
        canary.expect_request("/data").respond_with_data("payload")
        redirector.expect_request("/go", method="POST").respond_with_data(
            "", status=303, headers={"Location": f"http://127.0.0.1:{canary.port}/data"}
        )
        result = fetcher(allow_private=True).fetch(
            f"http://127.0.0.1:{redirector.port}/go",
            method="POST",
            content=b"{}",
            headers={"Authorization": "Bearer token"},
        )
        assert (result.status, result.body) == (200, b"payload")
        assert result.final_url == f"http://127.0.0.1:{canary.port}/data"
        request = canary.log[0][0]
        assert request.method == "GET"
        assert "Authorization" not in request.headers


class TestPinning:
    def test_resolved_once_and_connected_to_that_address(
        self, canary: HTTPServer, monkeypatch: pytest.MonkeyPatch, connects: list[str]
    ) -> None:
        dns = FakeDNS({"pinned.test": [["127.0.0.1"], ["10.9.9.9"]]})
        monkeypatch.setattr(socket, "getaddrinfo", dns)
        canary.expect_request("/data").respond_with_data("ok")
        result = fetcher(allow_hosts={"pinned.test"}).fetch(
            f"http://pinned.test:{canary.port}/data"
        )
        assert result.body == b"ok"
        assert dns.calls == {"pinned.test": 1}
        assert connects == ["127.0.0.1"]
        assert canary.log[0][0].headers["Host"] == f"pinned.test:{canary.port}"

    def test_dns_rebinding_does_not_reach_the_canary(
        self, canary: HTTPServer, monkeypatch: pytest.MonkeyPatch, connects: list[str]
    ) -> None:
        dns = FakeDNS({"rebind.test": [[PUBLIC_IP], ["127.0.0.1"]]})
        monkeypatch.setattr(socket, "getaddrinfo", dns)
        canary.expect_request("/").respond_with_data("canary")
        error = refusal(f"http://rebind.test:{canary.port}/")
        assert error.message.endswith(": connection failed")
        assert dns.calls == {"rebind.test": 1}
        assert connects == [PUBLIC_IP]
        assert canary.log == []

    def test_every_resolved_address_is_checked(
        self, canary: HTTPServer, monkeypatch: pytest.MonkeyPatch, connects: list[str]
    ) -> None:
        monkeypatch.setattr(
            socket, "getaddrinfo", FakeDNS({"mixed.test": [[PUBLIC_IP, "127.0.0.1"]]})
        )
        error = refusal(f"http://mixed.test:{canary.port}/")
        assert error.message.endswith(": address not allowed")
        assert connects == []
        assert canary.log == []


class TestAllowedFetch:
    def test_allow_private_fetches_the_server(self, canary: HTTPServer) -> None:
        canary.expect_request("/data").respond_with_data("hello", content_type="text/plain")
        result = fetcher(allow_private=True).fetch(f"http://127.0.0.1:{canary.port}/data")
        assert (result.status, result.body) == (200, b"hello")
        assert result.headers["content-type"] == "text/plain"

    def test_declared_size_over_cap(self, canary: HTTPServer) -> None:
        canary.expect_request("/big").respond_with_data(b"x" * 2000)
        with pytest.raises(TooLargeError, match="over the limit of 1000 bytes"):
            fetcher(allow_private=True, max_bytes=1000).fetch(f"http://127.0.0.1:{canary.port}/big")

    def test_streamed_size_over_cap_without_content_length(self, canary: HTTPServer) -> None:
        def chunks(_: Request) -> Response:
            return Response((b"x" * 500 for _ in range(100)), content_type="text/plain")

        canary.expect_request("/stream").respond_with_handler(chunks)
        url = f"http://127.0.0.1:{canary.port}/stream"
        received = 0
        with (
            pytest.raises(TooLargeError),
            fetcher(allow_private=True, max_bytes=1000).stream(url) as response,
        ):
            assert "content-length" not in response.headers
            for chunk in response.iter_bytes():
                received += len(chunk)
        assert received <= 1000

    def test_upstream_error_body_is_not_echoed(self, canary: HTTPServer) -> None:
        canary.expect_request("/fail").respond_with_data("db password is hunter2", status=500)
        url = f"http://127.0.0.1:{canary.port}/fail"
        error = refusal(url, allow_private=True)
        assert error.message == f"could not fetch {url}: HTTP 500"
        assert "hunter2" not in repr(error.errors)

    def test_slow_server_times_out(self, redirector: HTTPServer) -> None:
        def slow(_: Request) -> Response:
            time.sleep(1.0)
            return Response("late")

        redirector.expect_request("/slow").respond_with_handler(slow)
        error = refusal(f"http://127.0.0.1:{redirector.port}/slow", allow_private=True, timeout=0.2)
        assert error.message.endswith(": timed out")

    def test_closed_port_is_a_clean_error(self) -> None:
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        error = refusal(f"http://127.0.0.1:{port}/", allow_private=True)
        assert error.message.endswith(": connection failed")


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for the name pinned.test (and no IP address)."""
    openssl = shutil.which("openssl")
    assert openssl is not None, "openssl (Debian's package) makes the test certificate"
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=pinned.test",
         "-addext", "subjectAltName=DNS:pinned.test"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[HTTPServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    yield server
    server.clear()
    server.stop()


class TestHttps:
    def test_pinned_address_keeps_sni_and_name_verification(
        self,
        tls_server: HTTPServer,
        certificate: tuple[Path, Path],
        monkeypatch: pytest.MonkeyPatch,
        connects: list[str],
    ) -> None:
        monkeypatch.setattr(socket, "getaddrinfo", FakeDNS({"pinned.test": [["127.0.0.1"]]}))
        tls_server.expect_request("/data").respond_with_data("secure")
        client = ssl.create_default_context(cafile=str(certificate[0]))
        result = fetcher(allow_hosts={"pinned.test"}, verify=client).fetch(
            f"https://pinned.test:{tls_server.port}/data"
        )
        assert result.body == b"secure"
        assert connects == ["127.0.0.1"]

    def test_certificate_is_checked_against_the_name_in_the_url(
        self, tls_server: HTTPServer, certificate: tuple[Path, Path]
    ) -> None:
        tls_server.expect_request("/data").respond_with_data("secure")
        client = ssl.create_default_context(cafile=str(certificate[0]))
        url = f"https://127.0.0.1:{tls_server.port}/data"
        error = refusal(url, allow_private=True, verify=client)
        assert error.message.endswith(": connection failed")
        assert tls_server.log == []


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("fec0::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:93.184.216.34", True),
        ("64:ff9b::a00:1", False),
        ("64:ff9b::5db8:d822", True),
        ("2002:c0a8:101::", False),
        ("2002:5db8:d822::", True),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),
    ],
)
def test_is_public_address(address: str, public: bool) -> None:
    assert is_public_address(ip_address(address)) is public
