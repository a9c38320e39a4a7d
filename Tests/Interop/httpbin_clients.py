#!/usr/bin/env python3
"""Real HTTP clients (requests, httpx, aiohttp, raw sockets) against `aio serve`, and the same
requests against the reference httpbin from PyPI, side by side.

    python httpbin_clients.py --url http://127.0.0.1:PORT [--no-reference]

Every case runs through every client; results must agree across clients, pass the case's own
check, and match the reference httpbin in status and in the fields the case compares. Prints one
summary line; exits 1 with details on any failure.
"""
import argparse
import asyncio
import base64
import json
import logging
import socket
import sys
import threading

import aiohttp
import httpx
import requests
from requests.auth import HTTPDigestAuth

FAILURES = []


def fail(message):
    FAILURES.append(message)


def start_reference():
    """The reference httpbin (Flask, from PyPI) on a free local port."""
    from httpbin import app
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    logging.getLogger("httpbin").setLevel(logging.ERROR)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return "http://127.0.0.1:%d" % server.server_port


class Result:
    def __init__(self, status, headers, body, history=0, url=None):
        self.status, self.headers, self.body, self.history, self.url = status, headers, body, history, url

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def header(self, name):
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


# (method, path, options, fields compared with the reference, check)
CASES = [
    ("GET", "/get?a=1&a=2&b=%20x", {}, ["args", "url", "origin"], lambda r: r.json()["args"] == {"a": ["1", "2"], "b": " x"}),
    ("POST", "/post", {"data": {"x": "1", "y": "two words"}}, ["form", "data", "json", "args", "files"],
     lambda r: r.json()["form"] == {"x": "1", "y": "two words"}),
    ("POST", "/post", {"json": {"k": [1, True, None, "é"]}}, ["json", "data", "form"],
     lambda r: r.json()["json"] == {"k": [1, True, None, "é"]}),
    ("PUT", "/put", {"data": b"raw bytes"}, ["data", "json"], lambda r: r.json()["data"] == "raw bytes"),
    ("PATCH", "/patch", {"data": b"text"}, ["data"], lambda r: r.json()["data"] == "text"),
    ("DELETE", "/delete", {}, ["args", "data", "form"], lambda r: r.status == 200),
    ("GET", "/anything/x/y?q=1", {}, ["method", "args", "url"], lambda r: r.json()["method"] == "GET"),
    ("POST", "/anything", {"data": b"\xff\xfe\x00"}, ["data"], lambda r: r.json()["data"].startswith("data:application/octet-stream;base64,")),
    ("GET", "/headers", {"headers": {"X-Test": "one"}}, [], lambda r: r.json()["headers"]["X-Test"] == "one"),
    ("GET", "/ip", {}, ["origin"], lambda r: r.json()["origin"] == "127.0.0.1"),
    ("GET", "/user-agent", {"headers": {"User-Agent": "interop/1"}}, ["user-agent"], lambda r: r.json()["user-agent"] == "interop/1"),
    ("GET", "/status/201", {}, [], lambda r: r.status == 201),
    ("GET", "/status/418", {}, [], lambda r: r.status == 418 and b"teapot" in r.body),
    ("GET", "/status/302", {"redirect": False}, [], lambda r: r.status == 302 and r.header("Location") == "/redirect/1"),
    ("GET", "/redirect/3", {}, [], lambda r: r.status == 200 and r.history == 3 and r.url.endswith("/get")),
    ("GET", "/relative-redirect/2", {}, [], lambda r: r.status == 200 and r.history == 2),
    ("GET", "/absolute-redirect/2", {}, [], lambda r: r.status == 200 and r.history == 2),
    ("GET", "/redirect-to?url=/get&status_code=307", {"redirect": False}, [], lambda r: r.status == 307 and r.header("Location") == "/get"),
    ("GET", "/basic-auth/user/pass", {"auth": ("user", "pass")}, ["authenticated", "user"], lambda r: r.json()["authenticated"]),
    ("GET", "/basic-auth/user/pass", {"auth": ("user", "wrong")}, [], lambda r: r.status == 401),
    ("GET", "/hidden-basic-auth/user/pass", {}, [], lambda r: r.status == 404),
    ("GET", "/bearer", {"headers": {"Authorization": "Bearer t0k"}}, ["authenticated", "token"], lambda r: r.json()["token"] == "t0k"),
    ("GET", "/bearer", {}, [], lambda r: r.status == 401),
    ("GET", "/bytes/100?seed=1", {}, [], lambda r: len(r.body) == 100),
    ("GET", "/stream-bytes/1000?chunk_size=100", {}, [], lambda r: len(r.body) == 1000),
    ("GET", "/stream/5", {}, [], lambda r: [json.loads(line)["id"] for line in r.body.splitlines()] == [0, 1, 2, 3, 4]),
    ("GET", "/range/100", {"headers": {"Range": "bytes=10-19"}}, [], lambda r: r.status == 206 and r.body == b"klmnopqrst"),
    ("GET", "/range/100", {}, [], lambda r: r.body == bytes(b"abcdefghijklmnopqrstuvwxyz"[i % 26] for i in range(100))),
    ("GET", "/gzip", {}, ["gzipped", "method"], lambda r: r.json()["gzipped"] is True),
    ("GET", "/deflate", {}, ["deflated", "method"], lambda r: r.json()["deflated"] is True),
    ("GET", "/cache", {"headers": {"If-Modified-Since": "Wed, 21 Oct 2015 07:28:00 GMT"}}, [], lambda r: r.status == 304),
    ("GET", "/cache", {}, ["args"], lambda r: r.status == 200 and r.header("ETag")),
    ("GET", "/cache/60", {}, [], lambda r: r.header("Cache-Control") == "public, max-age=60"),
    ("GET", "/etag/abc", {"headers": {"If-None-Match": '"abc"'}}, [], lambda r: r.status == 304),
    ("GET", "/etag/abc", {"headers": {"If-Match": '"other"'}}, [], lambda r: r.status == 412),
    ("GET", "/response-headers?X-Aio=1", {}, ["X-Aio"], lambda r: r.header("X-Aio") == "1"),
    ("GET", "/json", {}, ["slideshow"], lambda r: r.json()["slideshow"]["title"] == "Sample Slide Show"),
    ("GET", "/xml", {}, [], lambda r: r.header("Content-Type").startswith("application/xml")),
    ("GET", "/html", {}, [], lambda r: b"Herman Melville" in r.body),
    ("GET", "/robots.txt", {}, [], lambda r: r.body == b"User-agent: *\nDisallow: /deny\n"),
    ("GET", "/base64/SFRUUEJJTiBpcyBhd2Vzb21l", {}, [], lambda r: r.body == b"HTTPBIN is awesome"),
    ("GET", "/links/3/1", {}, [], lambda r: b"/links/3/0" in r.body),
    ("GET", "/image/png", {}, [], lambda r: r.header("Content-Type") == "image/png" and r.body[:4] == b"\x89PNG"),
    ("GET", "/image/svg", {}, [], lambda r: r.header("Content-Type") == "image/svg+xml"),
    ("GET", "/image/jpeg", {}, [], lambda r: decodes(r.body, "JPEG", (32, 16))),
    ("GET", "/image/webp", {}, [], lambda r: decodes(r.body, "WEBP", (16, 16))),
    ("GET", "/image/png", {}, [], lambda r: decodes(r.body, "PNG", (16, 16))),
    ("GET", "/image", {"headers": {"Accept": "image/webp"}}, [], lambda r: r.header("Content-Type") == "image/webp"),
    ("GET", "/delay/1", {}, ["args"], lambda r: r.status == 200),
    ("GET", "/drip?duration=0.2&numbytes=5&delay=0", {}, [], lambda r: r.body == b"*****"),
    ("HEAD", "/get", {}, [], lambda r: r.status == 200 and r.body == b""),
    ("GET", "/uuid", {}, [], lambda r: len(r.json()["uuid"]) == 36),
    ("GET", "/encoding/utf8", {}, [], lambda r: "∮".encode() in r.body),
    ("GET", "/forms/post", {}, [], lambda r: b'action="/post"' in r.body),
    ("GET", "/no/such/page", {}, [], lambda r: r.status == 404),
]


def decodes(data, kind, size):
    """Whether Pillow opens `data` as a `kind` image of `size` and decodes every pixel."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.load()
    return image.format == kind and image.size == size


def with_requests(session, base, method, path, options):
    response = session.request(
        method, base + path, data=options.get("data"), json=options.get("json"), headers=options.get("headers"),
        auth=options.get("auth"), allow_redirects=options.get("redirect", True), timeout=10,
    )
    return Result(response.status_code, dict(response.headers), response.content, len(response.history), response.url)


def with_httpx(client, base, method, path, options):
    data = options.get("data")
    response = client.request(
        method, base + path, content=data if isinstance(data, bytes) else None,
        data=data if isinstance(data, dict) else None, json=options.get("json"), headers=options.get("headers"),
        auth=options.get("auth"), follow_redirects=options.get("redirect", True), timeout=10,
    )
    return Result(response.status_code, dict(response.headers), response.content, len(response.history), str(response.url))


async def with_aiohttp(session, base, method, path, options):
    headers = dict(options.get("headers") or {})
    if options.get("auth"):
        headers["Authorization"] = "Basic " + base64.b64encode(("%s:%s" % options["auth"]).encode()).decode()
    async with session.request(
        method, base + path, data=options.get("data"), json=options.get("json"), headers=headers,
        allow_redirects=options.get("redirect", True),
    ) as response:
        body = await response.read()
        return Result(response.status, dict(response.headers), body, len(response.history), str(response.url))


def normalized(value, base):
    text = json.dumps(value, sort_keys=True)
    return json.loads(text.replace(base, "BASE"))


def compare_fields(case, ours, ours_base, reference, reference_base):
    method, path, _, fields, _ = case
    if ours.status != reference.status:
        fail("%s %s: status %d, reference %d" % (method, path, ours.status, reference.status))
        return 0
    if not fields:
        return 0
    try:
        mine, theirs = ours.json(), reference.json()
    except ValueError:
        fail("%s %s: not JSON" % (method, path))
        return 0
    compared = 0
    for field in fields:
        a, b = normalized(mine.get(field), ours_base), normalized(theirs.get(field), reference_base)
        if a != b:
            fail("%s %s: field %r is %r, reference %r" % (method, path, field, a, b))
        compared += 1
    return compared


def raw_exchanges(base):
    host, port = base.split("//")[1].split(":")
    port = int(port)

    def exchange(payload):
        with socket.create_connection((host, port), timeout=10) as connection:
            connection.sendall(payload)
            connection.shutdown(socket.SHUT_WR)
            chunks = []
            while True:
                data = connection.recv(65536)
                if not data:
                    return b"".join(chunks)
                chunks.append(data)

    pipelined = exchange(b"".join(b"GET /anything/%d HTTP/1.1\r\nHost: t\r\n\r\n" % i for i in range(5)))
    order = [json.loads(part.split(b"\r\n\r\n", 1)[1][: int(part.split(b"Content-Length: ")[1].split(b"\r\n")[0])])["url"][-1:]
             for part in pipelined.split(b"HTTP/1.1 200 OK")[1:]]
    if order != ["0", "1", "2", "3", "4"]:
        fail("pipelining: responses out of order %r" % order)
    old = exchange(b"GET /get HTTP/1.0\r\n\r\n")
    if not old.startswith(b"HTTP/1.1 200") or b"Connection: close" not in old:
        fail("HTTP/1.0: %r" % old[:100])


async def run_aiohttp(base):
    results = []
    # aiohttp keeps no cookies from IP-address hosts unless told to.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        for method, path, options, _, _ in CASES:
            results.append(await with_aiohttp(session, base, method, path, options))
        async with session.get(base + "/cookies/set?a=1&b=2") as response:
            cookies = (await response.json())["cookies"]
            if cookies != {"a": "1", "b": "2"}:
                fail("aiohttp cookies: %r" % cookies)
    return results


def digest_observations(base):
    """What requests sees of httpbin's Digest endpoints, cookies included (requests' own tests
    read `fake=fake_value` back from the challenge); compared with the reference's."""
    seen = []
    auth = HTTPDigestAuth("user", "pass")
    for path in ["/digest-auth/auth/user/pass", "/digest-auth/auth/user/pass/SHA-512", "/digest-auth/nope/user/pass/MD5"]:
        bare = requests.get(base + path, timeout=10)
        challenge = bare.headers.get("WWW-Authenticate", "")
        seen.append((path, "bare", bare.status_code, sorted(bare.cookies.keys()), bare.cookies.get("fake"),
                     "stale=false" in challenge.lower(), 'qop="auth, auth-int"' in challenge))
        seen.append((path, "auth", requests.get(base + path, auth=auth, timeout=10).status_code))
        wrong = requests.get(base + path, auth=HTTPDigestAuth("user", "wrong"), timeout=10)
        seen.append((path, "wrong", wrong.status_code, sorted(wrong.cookies.keys())))
    with requests.Session() as session:
        session.auth = auth
        session.get(base + "/digest-auth/auth/user/pass", timeout=10)
        seen.append(("session", session.cookies.get("fake")))
    with requests.Session() as session:
        session.auth = auth
        # stale_after=1: the first answer is accepted and counts the cookie down to 0, after which
        # the next challenge is stale.
        first = session.get(base + "/digest-auth/auth/user/pass/MD5/1", timeout=10)
        second = session.get(base + "/digest-auth/auth/user/pass/MD5/1", timeout=10)
        seen.append(("stale", first.status_code, second.status_code, session.cookies.get("stale_after")))
    forbidden = requests.get(base + "/digest-auth/auth/user/pass?require-cookie=1",
                             headers={"Authorization": 'Digest username="user"', "Cookie": "a=1"}, timeout=10)
    seen.append(("no fake cookie", forbidden.status_code, forbidden.cookies.get("fake")))
    return seen


def check_digest_require_cookie(base):
    """`?require-cookie=1` with a client that returns the challenge's cookies. (The reference
    answers 500 to any Digest request with a query: it joins bytes to a string.)"""
    with requests.Session() as session:
        session.auth = HTTPDigestAuth("user", "pass")
        answer = session.get(base + "/digest-auth/auth/user/pass?require-cookie=1", timeout=10)
        if answer.status_code != 200:
            fail("digest with require-cookie: %d" % answer.status_code)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--no-reference", action="store_true")
    arguments = parser.parse_args()
    base = arguments.url.rstrip("/")

    with requests.Session() as session:
        by_requests = [with_requests(session, base, m, p, o) for m, p, o, _, _ in CASES]
        session.get(base + "/cookies/set?a=1&b=2")
        if session.get(base + "/cookies").json()["cookies"] != {"a": "1", "b": "2"}:
            fail("requests cookies")
        for algorithm in ["MD5", "SHA-256"]:
            digest = session.get(base + "/digest-auth/auth/user/pass/" + algorithm, auth=HTTPDigestAuth("user", "pass"))
            if digest.status_code != 200:
                fail("digest %s: %d" % (algorithm, digest.status_code))
        upload = session.post(base + "/post", data=iter([b"chunk-%d;" % i for i in range(100)]))
        if upload.json()["data"] != "".join("chunk-%d;" % i for i in range(100)):
            fail("chunked upload through requests")
    with httpx.Client() as client:
        by_httpx = [with_httpx(client, base, m, p, o) for m, p, o, _, _ in CASES]
    by_aiohttp = asyncio.run(run_aiohttp(base))

    for case, a, b, c in zip(CASES, by_requests, by_httpx, by_aiohttp):
        method, path, _, _, check = case
        for client, result in (("requests", a), ("httpx", b), ("aiohttp", c)):
            try:
                ok = check(result)
            except Exception as error:
                ok = False
                fail("%s %s via %s: %r" % (method, path, client, error))
            if not ok:
                fail("%s %s via %s: check failed (status %d, body %r)" % (method, path, client, result.status, result.body[:200]))
        if not (a.status == b.status == c.status):
            fail("%s %s: clients disagree on status: %d %d %d" % (method, path, a.status, b.status, c.status))

    raw_exchanges(base)
    check_digest_require_cookie(base)

    compared = 0
    if not arguments.no_reference:
        reference = start_reference()
        with requests.Session() as session:
            for case, ours in zip(CASES, by_requests):
                method, path, options, _, _ = case
                theirs = with_requests(session, reference, method, path, options)
                compared += compare_fields(case, ours, base, theirs, reference)
        ours, theirs = digest_observations(base), digest_observations(reference)
        for mine, reference_one in zip(ours, theirs):
            if mine != reference_one:
                fail("digest auth: %r, reference %r" % (mine, reference_one))
            compared += 1

    if FAILURES:
        print("%d failures" % len(FAILURES))
        for failure in FAILURES:
            print("  " + failure)
        return 1
    print("%d cases x 3 clients passed; %d fields equal to httpbin's" % (len(CASES), compared))
    return 0


if __name__ == "__main__":
    sys.exit(main())
