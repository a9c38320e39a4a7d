#!/usr/bin/env python3
"""Slowloris against a server: many connections trickling a request head one byte per second.

    python slowloris.py --url http://127.0.0.1:PORT --connections 500 --head-timeout 3

Meanwhile a normal client must be answered while the slow connections are still open (in under
half the head timeout: a server they block answers only once it drops them), and every slow
connection must be closed by the server once the head timeout has passed. Prints a summary; exits 1 on
failure.
"""
import argparse
import asyncio
import sys
import time


async def trickle(host, port, stop_at, closed):
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        closed.append(("refused", 0.0))
        return
    started = time.monotonic()
    head = b"GET /get HTTP/1.1\r\nHost: slow\r\n" + b"X-Slow: " + b"a" * 1000
    index = 0
    try:
        while time.monotonic() < stop_at:
            writer.write(head[index:index + 1])
            index += 1
            await writer.drain()
            try:
                data = await asyncio.wait_for(reader.read(4096), timeout=1.0)
            except asyncio.TimeoutError:
                continue
            # The server answered (408) or closed: either way it gave up on us.
            closed.append(("answered" if data else "closed", time.monotonic() - started))
            return
    except (ConnectionError, OSError):
        closed.append(("reset", time.monotonic() - started))
        return
    finally:
        writer.close()


async def normal_requests(host, port, count, latencies):
    for _ in range(count):
        started = time.monotonic()
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(b"GET /get HTTP/1.1\r\nHost: normal\r\nConnection: close\r\n\r\n")
        await writer.drain()
        data = await reader.read()
        writer.close()
        latencies.append(time.monotonic() - started)
        if not data.startswith(b"HTTP/1.1 200"):
            latencies.append(float("inf"))
        await asyncio.sleep(0.2)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--connections", type=int, default=500)
    parser.add_argument("--head-timeout", type=float, required=True)
    arguments = parser.parse_args()
    host, port = arguments.url.split("//")[1].split(":")
    port = int(port)
    stop_at = time.monotonic() + arguments.head_timeout + 5
    closed, latencies = [], []
    slow = [asyncio.create_task(trickle(host, port, stop_at, closed)) for _ in range(arguments.connections)]
    await asyncio.sleep(1.0)  # let the slow connections settle before the normal client starts
    await normal_requests(host, port, 10, latencies)
    await asyncio.gather(*slow)
    worst = max(latencies)
    lasted = max((elapsed for _, elapsed in closed), default=0)
    failures = []
    # Not a speed test: this client's own loop drives 500 sockets on a machine shared with the
    # rest of the suite, so a normal answer may take a second; a blocked one takes the timeout.
    if worst >= arguments.head_timeout / 2:
        failures.append("a normal request took %.3f s" % worst)
    if len(closed) != arguments.connections:
        failures.append("%d of %d slow connections still open after %.1f s" % (
            arguments.connections - len(closed), arguments.connections, arguments.head_timeout + 5))
    if any(kind == "refused" for kind, _ in closed):
        failures.append("slow connections were refused")
    print("%d slow connections closed by the server (last after %.2f s); normal requests: worst %.3f s"
          % (len(closed), lasted, worst))
    for failure in failures:
        print("FAIL " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
