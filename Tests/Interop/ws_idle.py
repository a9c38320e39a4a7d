#!/usr/bin/env python3
"""Memory of idle WebSocket connections on `aio serve`'s /ws (which runs a heartbeat).

    python ws_idle.py --url http://127.0.0.1:PORT --pid PID [--connections 1000] [--max-kib 64]

Opens the connections (each echoes one message, then idles), reads the server's resident memory
from /proc before and after, prints the growth per connection, and exits 1 when a connection
failed or each costs more than --max-kib.
"""
import argparse
import asyncio
import sys

import websockets


def resident(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


async def open_one(url, index):
    ws = await websockets.connect(url, compression=None, ping_interval=None)
    await ws.send(f"hello {index}")
    reply = await ws.recv()
    if reply != f"hello {index}":
        raise RuntimeError(f"connection {index}: echo {reply!r}")
    return ws


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--max-kib", type=float, default=64)
    args = parser.parse_args()
    url = args.url.replace("http://", "ws://").rstrip("/") + "/ws"

    # Warm up: the first connections pay for lazily allocated pools and code pages.
    warm = [await open_one(url, index) for index in range(20)]
    for ws in warm:
        await ws.close()
    before = resident(args.pid)
    sockets = []
    for start in range(0, args.connections, 100):
        batch = range(start, min(start + 100, args.connections))
        sockets += await asyncio.gather(*(open_one(url, index) for index in batch))
    await asyncio.sleep(0.5)  # let the server finish setting up the last ones before measuring
    after = resident(args.pid)
    per_connection = (after - before) / args.connections / 1024
    # All still alive: each answers once more.
    for index, ws in enumerate(sockets[:: max(1, len(sockets) // 50)]):
        await ws.send("still there")
        if await ws.recv() != "still there":
            print(f"FAILED: connection {index} stopped echoing")
            return 1
    await asyncio.gather(*(ws.close() for ws in sockets))
    print(f"{args.connections} idle WebSocket connections: RSS {before / 2**20:.1f} -> {after / 2**20:.1f} MiB, "
          f"{per_connection:.1f} KiB each")
    if per_connection > args.max_kib:
        print(f"FAILED: more than {args.max_kib} KiB per connection")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
