#!/usr/bin/env python3
"""Graceful shutdown under load: SIGTERM while 50 requests to /delay/1 are in flight.

    python sigterm.py --url http://127.0.0.1:PORT --pid PID

Once /stats shows all 50 in flight, the server gets SIGTERM: new connections must then be
refused, and all 50 requests must still get 200. (The caller checks the exit status.)
"""
import argparse
import asyncio
import json
import os
import signal
import sys
import time


async def delayed(host, port):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(b"GET /delay/1 HTTP/1.1\r\nHost: t\r\n\r\n")
    await writer.drain()
    status = await reader.readline()
    writer.close()
    return status


async def in_flight(host, port):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(b"GET /stats HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    await writer.drain()
    data = await reader.read()
    writer.close()
    return json.loads(data.split(b"\r\n\r\n", 1)[1])["in_flight"]


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--pid", type=int, required=True)
    arguments = parser.parse_args()
    host, port = arguments.url.split("//")[1].split(":")
    port = int(port)
    requests = [asyncio.create_task(delayed(host, port)) for _ in range(50)]
    deadline = time.monotonic() + 10
    while await in_flight(host, port) < 50:
        if time.monotonic() > deadline:
            print("FAIL the 50 requests never were in flight together")
            return 1
    os.kill(arguments.pid, signal.SIGTERM)
    refused = False
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection(host, port)
            writer.close()
        except OSError:
            refused = True
            break
    statuses = await asyncio.gather(*requests)
    ok = sum(status.startswith(b"HTTP/1.1 200") for status in statuses)
    print("%d of 50 in-flight requests answered 200 after SIGTERM; new connections %s"
          % (ok, "refused" if refused else "still accepted"))
    return 0 if ok == 50 and refused else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
