#!/usr/bin/env python3
"""Memory of a server under a 1 GiB streamed upload and 10,000 keep-alive requests.

    python resources.py --url http://127.0.0.1:PORT --pid PID [--upload-mib 1024]

The upload goes to /discard, chunked, and its length and SHA-256 must come back right while the
server's peak RSS stays under 64 MiB; 10,000 requests on one keep-alive connection must leave its
RSS flat (under 1 MiB of growth between the 1,000th and the 10,000th). Exits 1 on failure.
"""
import argparse
import hashlib
import json
import socket
import sys

import requests


def memory(pid):
    values = {}
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0]) * 1024
    return values["VmRSS"], values["VmHWM"]


def keep_alive(host, port, count):
    with socket.create_connection((host, port)) as connection:
        reader = connection.makefile("rb")
        for index in range(count):
            connection.sendall(b"GET /get?i=%d HTTP/1.1\r\nHost: t\r\n\r\n" % index)
            length = None
            while True:
                line = reader.readline()
                if line == b"\r\n":
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            body = reader.read(length)
            if b'"i": "%d"' % index not in body:
                raise RuntimeError("wrong response %d" % index)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--upload-mib", type=int, default=1024)
    arguments = parser.parse_args()
    host, port = arguments.url.split("//")[1].split(":")
    port = int(port)
    failures = []

    keep_alive(host, port, 1000)
    before, _ = memory(arguments.pid)
    keep_alive(host, port, 9000)
    after, _ = memory(arguments.pid)
    growth = after - before
    if growth > 1 << 20:
        failures.append("RSS grew by %d KiB over 9,000 keep-alive requests" % (growth // 1024))

    piece = bytes(range(256)) * 4096  # 1 MiB
    digest = hashlib.sha256()
    for _ in range(arguments.upload_mib):
        digest.update(piece)

    def body():
        for _ in range(arguments.upload_mib):
            yield piece

    peak_during = [0]
    response = requests.post(arguments.url + "/discard", data=body(), timeout=600)
    result = response.json()
    _, peak = memory(arguments.pid)
    if result["bytes"] != arguments.upload_mib << 20 or result["sha256"] != digest.hexdigest():
        failures.append("upload came back as %r" % result)
    if peak >= 64 << 20:
        failures.append("peak RSS %d MiB" % (peak >> 20))
    print("keep-alive: RSS %+d KiB from request 1,000 to 10,000; upload of %d MiB: peak RSS %d MiB"
          % (growth // 1024, arguments.upload_mib, peak >> 20))
    for failure in failures:
        print("FAIL " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
