#!/usr/bin/env python3
"""A 1 GiB file uploaded as multipart/form-data to /post (request.post(), spooled to disk) and to
/upload (request.multipart(), streamed): the size and SHA-256 the server reports must match and
its peak RSS stay under 64 MiB.

    python upload_memory.py --url http://127.0.0.1:PORT --pid PID [--mib 1024]

Exits 1 on failure.
"""
import argparse
import hashlib
import http.client
import os
import sys
import json


def peak_rss(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM")


def body_pieces(boundary, mib, digest):
    """The multipart body, generated piece by piece: a field, then the file."""
    yield (
        "--%s\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nbig upload\r\n"
        "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n" % (boundary, boundary)
    ).encode()
    block = os.urandom(1 << 20)
    for index in range(mib):
        # Every MiB differs, so a server that mixed pieces up would not match.
        chunk = index.to_bytes(8, "big") + block[8:]
        digest.update(chunk)
        yield chunk
    yield ("\r\n--%s--\r\n" % boundary).encode()


def upload(host, port, path, mib):
    boundary = "memory-test-boundary-7f3a"
    digest = hashlib.sha256()
    connection = http.client.HTTPConnection(host, port, timeout=600)
    connection.request(
        "POST",
        path,
        body=body_pieces(boundary, mib, digest),
        headers={"Content-Type": "multipart/form-data; boundary=" + boundary},
        encode_chunked=True,
    )
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    return response.status, answer, digest.hexdigest()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--mib", type=int, default=1024)
    arguments = parser.parse_args()
    host, port = arguments.url.split("//")[1].split(":")
    failures = []
    size = arguments.mib << 20

    status, answer, digest = upload(host, int(port), "/post", arguments.mib)
    reported = answer.get("files", {}).get("file", {})
    if status != 200 or reported.get("size") != size or reported.get("sha256") != digest:
        failures.append("/post: status %s, reported %s, expected size %d sha256 %s" % (status, reported, size, digest))
    if answer.get("form") != {"title": "big upload"}:
        failures.append("/post: form %s" % answer.get("form"))

    status, answer, digest = upload(host, int(port), "/upload", arguments.mib)
    parts = {part["name"]: part for part in answer.get("parts", [])}
    reported = parts.get("file", {})
    if status != 200 or reported.get("size") != size or reported.get("sha256") != digest:
        failures.append("/upload: status %s, reported %s, expected size %d sha256 %s" % (status, reported, size, digest))

    peak = peak_rss(arguments.pid)
    if peak > 64 << 20:
        failures.append("peak RSS %.1f MiB, over 64 MiB" % (peak / 1048576))
    if failures:
        print("upload memory failed: " + "; ".join(failures))
        sys.exit(1)
    print("2 uploads of %d MiB passed, peak RSS %.1f MiB" % (arguments.mib, peak / 1048576))


if __name__ == "__main__":
    main()
