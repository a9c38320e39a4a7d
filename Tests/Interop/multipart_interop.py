#!/usr/bin/env python3
"""Multipart interop, both ways.

    python multipart_interop.py upload --url http://127.0.0.1:PORT [--big-mib 100]
    python multipart_interop.py parse --dir DIRECTORY

`upload`: requests, httpx and aiohttp clients post forms to `aio serve`'s /post (fields, empty
files and fields, non-ASCII and RFC 5987 file names, a large file, nested multipart/mixed); the
fields, file names, sizes and SHA-256 it reports must be what was sent.

`parse`: bodies written by our MultipartWriter (DIRECTORY/NAME.body with NAME.json: content type
and expected parts, each part's bytes in a file) are parsed by Python's email package,
python-multipart and an aiohttp server; every parser must find the same names, file names and
bytes.

Prints one summary line; exits 1 with details on any failure.
"""
import argparse
import asyncio
import email.parser
import email.policy
import hashlib
import io
import json
import os
import sys
import tempfile

FAILURES = []


def fail(message):
    FAILURES.append(message)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- upload: clients to aio serve


def expected_files(files):
    """{name: [(filename, size, sha256)]} for (name, filename, bytes) triples."""
    result = {}
    for name, filename, data in files:
        result.setdefault(name, []).append((filename, len(data), sha256(data)))
    return result


def reported_files(answer):
    result = {}
    for name, value in answer.get("files", {}).items():
        for item in value if isinstance(value, list) else [value]:
            result.setdefault(name, []).append((item["filename"], item["size"], item["sha256"]))
    return result


def reported_form(answer):
    return {name: value if isinstance(value, list) else [value] for name, value in answer.get("form", {}).items()}


def send_requests(url, fields, files, big_path):
    import requests

    multipart = [(name, (None, value)) for name, value in fields]
    multipart += [(name, (filename, data)) for name, filename, data in files]
    handle = None
    if big_path:
        handle = open(big_path, "rb")
        multipart.append(("big", ("big.bin", handle)))
    try:
        response = requests.post(url, files=multipart, timeout=300)
    finally:
        if handle:
            handle.close()
    return response.status_code, response.json()


def send_httpx(url, fields, files, big_path):
    import httpx

    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    multipart = [(name, (filename, data_bytes)) for name, filename, data_bytes in files]
    handle = None
    if big_path:
        handle = open(big_path, "rb")
        multipart.append(("big", ("big.bin", handle)))
    try:
        response = httpx.post(url, data=data, files=multipart, timeout=300)
    finally:
        if handle:
            handle.close()
    return response.status_code, response.json()


def send_aiohttp(url, fields, files, big_path):
    import aiohttp

    async def run():
        # quote_fields=False: file names as raw UTF-8 in quotes, as browsers send them (aiohttp
        # otherwise percent-encodes them inside the quotes, which no parser decodes).
        form = aiohttp.FormData(quote_fields=False)
        for name, value in fields:
            form.add_field(name, value)
        for name, filename, data in files:
            form.add_field(name, data, filename=filename, content_type="application/octet-stream")
        handle = None
        if big_path:
            handle = open(big_path, "rb")
            form.add_field("big", handle, filename="big.bin", content_type="application/octet-stream")
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as session:
                async with session.post(url, data=form) as response:
                    return response.status, await response.json()
        finally:
            if handle:
                handle.close()

    return asyncio.run(run())


def raw_post(url, content_type, body):
    import httpx

    response = httpx.post(url, content=body, headers={"Content-Type": content_type}, timeout=60)
    return response.status_code, response.json()


def upload(arguments):
    url = arguments.url.rstrip("/") + "/post"
    fields = [("title", "Zoë ✓"), ("empty", ""), ("tag", "a"), ("tag", "b")]
    files = [
        ("doc", "a.txt", b"hello\r\n--not a boundary\r\n"),
        ("doc", "résumé 履歴書.txt", "non-ASCII name".encode()),
        ("nothing", "empty.bin", b""),
        ("binary", "bytes.bin", bytes(range(256)) * 100),
    ]
    big_path = None
    big_digest = None
    if arguments.big_mib:
        handle, big_path = tempfile.mkstemp(prefix="aio-big-")
        digest = hashlib.sha256()
        with os.fdopen(handle, "wb") as output:
            for _ in range(arguments.big_mib):
                chunk = os.urandom(1 << 20)
                digest.update(chunk)
                output.write(chunk)
        big_digest = digest.hexdigest()
    cases = 0
    try:
        for client, send in [("requests", send_requests), ("httpx", send_httpx), ("aiohttp", send_aiohttp)]:
            status, answer = send(url, fields, files, big_path)
            cases += 1
            if status != 200:
                fail("%s: status %s %s" % (client, status, answer))
                continue
            want_form = {}
            for name, value in fields:
                want_form.setdefault(name, []).append(value)
            if reported_form(answer) != want_form:
                fail("%s: form %s, expected %s" % (client, answer.get("form"), want_form))
            want = expected_files(files)
            if big_path:
                want["big"] = [("big.bin", arguments.big_mib << 20, big_digest)]
            got = reported_files(answer)
            if got != want:
                fail("%s: files %s, expected %s" % (client, got, want))
    finally:
        if big_path:
            os.unlink(big_path)

    # RFC 5987 file name with an ASCII fallback, as our own writer and mail clients send.
    body = (
        b"--b\r\nContent-Disposition: form-data; name=\"rates\"; filename=\"EUR rates.txt\"; "
        b"filename*=UTF-8''%E2%82%AC%20rates.txt\r\n\r\n1.08\r\n--b--\r\n"
    )
    status, answer = raw_post(url, "multipart/form-data; boundary=b", body)
    cases += 1
    if status != 200 or reported_files(answer) != {"rates": [("€ rates.txt", 4, sha256(b"1.08"))]}:
        fail("RFC 5987 file name: %s %s" % (status, answer.get("files")))

    # Nested multipart/mixed (RFC 2388's several files under one name).
    body = (
        b"--outer\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nnested\r\n"
        b"--outer\r\nContent-Disposition: form-data; name=\"files\"\r\n"
        b"Content-Type: multipart/mixed; boundary=inner\r\n\r\n"
        b"--inner\r\nContent-Disposition: file; filename=\"one.txt\"\r\n\r\nfirst\r\n"
        b"--inner\r\nContent-Disposition: file; filename=\"two.txt\"\r\nContent-Type: text/plain\r\n\r\nsecond\r\n"
        b"--inner--\r\n--outer--\r\n"
    )
    status, answer = raw_post(url, "multipart/form-data; boundary=outer", body)
    cases += 1
    want = {"files": [("one.txt", 5, sha256(b"first")), ("two.txt", 6, sha256(b"second"))]}
    if status != 200 or reported_files(answer) != want or reported_form(answer) != {"title": ["nested"]}:
        fail("nested multipart/mixed: %s %s %s" % (status, answer.get("form"), answer.get("files")))

    # A truncated body is a 400, not a silently shorter file.
    import httpx

    response = httpx.post(url, content=body[:-12], headers={"Content-Type": "multipart/form-data; boundary=outer"}, timeout=60)
    cases += 1
    if response.status_code != 400:
        fail("truncated body: status %s" % response.status_code)
    return cases


# ---------------------------------------------------------------- parse: our bodies, their parsers


def utf8(text):
    """Raw UTF-8 in a header, which the email package keeps as surrogate escapes, as text."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8") if text is not None else None


def parse_email(content_type, body):
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    parts = []

    def walk(message, outer_name):
        for part in message.iter_parts():
            if part.is_multipart():
                walk(part, part.get_param("name", header="content-disposition") or outer_name)
                continue
            name = outer_name or part.get_param("name", header="content-disposition")
            parts.append((utf8(name), utf8(part.get_filename()), part.get_payload(decode=True) or b""))

    walk(message, None)
    return parts


def parse_python_multipart(content_type, body):
    from python_multipart.multipart import parse_options_header, MultipartParser

    _, options = parse_options_header(content_type)
    parts = []
    current = {}

    def on_part_begin():
        current.clear()
        current["headers"] = {}
        current["data"] = bytearray()
        current["header_name"] = b""

    def on_header_field(data, start, end):
        current["header_name"] += data[start:end]

    def on_header_value(data, start, end):
        current["headers"].setdefault(current["header_name"].lower(), b"")
        current["headers"][current["header_name"].lower()] += data[start:end]

    def on_header_end():
        current["header_name"] = b""

    def on_part_data(data, start, end):
        current["data"] += data[start:end]

    def on_part_end():
        _, disposition = parse_options_header(current["headers"].get(b"content-disposition", b""))
        encoding = current["headers"].get(b"content-transfer-encoding", b"").lower()
        data = bytes(current["data"])
        if encoding == b"base64":
            import base64

            data = base64.b64decode(data)
        elif encoding == b"quoted-printable":
            import quopri

            data = quopri.decodestring(data)
        name = disposition.get(b"name")
        filename = disposition.get(b"filename")
        parts.append((name.decode() if name else None, filename.decode() if filename is not None else None, data))

    callbacks = {
        "on_part_begin": on_part_begin,
        "on_header_field": on_header_field,
        "on_header_value": on_header_value,
        "on_header_end": on_header_end,
        "on_part_data": on_part_data,
        "on_part_end": on_part_end,
    }
    parser = MultipartParser(options[b"boundary"], callbacks)
    for start in range(0, len(body), 7000):
        parser.write(body[start : start + 7000])
    parser.finalize()
    return parts


def parse_aiohttp(content_type, body):
    import aiohttp
    from aiohttp import web

    async def handler(request):
        form = await request.post()
        parts = []
        for name, value in form.items():
            if isinstance(value, web.FileField):
                parts.append([name, value.filename, value.file.read().hex()])
            else:
                parts.append([name, None, value.encode().hex()])
        return web.json_response(parts)

    async def run():
        app = web.Application(client_max_size=64 << 20)
        app.router.add_post("/", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        try:
            async with aiohttp.ClientSession() as session:
                async with session.post("http://127.0.0.1:%d/" % port, data=body, headers={"Content-Type": content_type}) as response:
                    if response.status != 200:
                        raise RuntimeError("aiohttp server answered %d: %s" % (response.status, await response.text()))
                    return [(name, filename, bytes.fromhex(data)) for name, filename, data in await response.json()]
        finally:
            await runner.cleanup()

    return asyncio.run(run())


def parse(arguments):
    cases = 0
    for entry in sorted(os.listdir(arguments.dir)):
        if not entry.endswith(".json"):
            continue
        with open(os.path.join(arguments.dir, entry)) as handle:
            manifest = json.load(handle)
        with open(os.path.join(arguments.dir, manifest["body"]), "rb") as handle:
            body = handle.read()
        want = []
        for part in manifest["parts"]:
            with open(os.path.join(arguments.dir, part["payload"]), "rb") as handle:
                want.append((part["name"], part["filename"], handle.read()))
        for parser_name, parser in [("email", parse_email), ("python-multipart", parse_python_multipart), ("aiohttp", parse_aiohttp)]:
            if parser_name in manifest.get("skip", []):
                continue
            cases += 1
            try:
                got = parser(manifest["contentType"], body)
            except Exception as error:  # noqa: BLE001 - any parser failure is a finding
                fail("%s: %s raised %r" % (entry, parser_name, error))
                continue
            if got != want:
                summary = lambda parts: [(n, f, len(d), sha256(d)[:12]) for n, f, d in parts]
                fail("%s: %s found %s, expected %s" % (entry, parser_name, summary(got), summary(want)))
    return cases


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    upload_command = commands.add_parser("upload")
    upload_command.add_argument("--url", required=True)
    upload_command.add_argument("--big-mib", type=int, default=100)
    parse_command = commands.add_parser("parse")
    parse_command.add_argument("--dir", required=True)
    arguments = parser.parse_args()
    cases = upload(arguments) if arguments.command == "upload" else parse(arguments)
    if FAILURES:
        print("%d of %d multipart %s cases failed" % (len(FAILURES), cases, arguments.command))
        for failure in FAILURES:
            print("  " + failure)
        sys.exit(1)
    print("%d multipart %s cases passed" % (cases, arguments.command))


if __name__ == "__main__":
    main()
