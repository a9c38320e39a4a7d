#!/usr/bin/env python3
"""WebSocket clients against `aio serve`: Python's websockets and aiohttp.

    python ws_interop.py --url http://127.0.0.1:PORT

Each client echoes text (non-ASCII included), binary, a fragmented message, and a 1 MiB message
through /ws (websockets with permessage-deflate agreed), pings and gets its pong, closes with a code of its own and sees it echoed; a 21 MiB
message is refused with 1009; a handshake with another version gets 426 with
Sec-WebSocket-Version: 13; two clients in one /chat room see each other's messages.

Prints one summary line; exits 1 with details on any failure.
"""
import argparse
import asyncio
import sys

import aiohttp
import websockets

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)


async def with_websockets(url):
    ws_url = url.replace("http://", "ws://") + "/ws"
    # websockets offers permessage-deflate by default: it must be agreed and work.
    async with websockets.connect(ws_url, max_size=None) as ws:
        names = [extension.name for extension in ws.protocol.extensions]
        check(names == ["permessage-deflate"], f"websockets: extensions agreed {names}")
        for message in ["hello", "κόσμε 🎉", b"\x00\x01\x02", b"\xff" * (1 << 20), "compressible " * 10000]:
            await ws.send(message)
            check(await ws.recv() == message, f"websockets: echo of {message[:20]!r}")
        await ws.send(["frag", "mented", " text"])
        check(await ws.recv() == "fragmented text", "websockets: fragmented message")
        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, 5)
        await ws.close(code=4001, reason="done")
        check(ws.close_code == 4001, f"websockets: close code echoed, got {ws.close_code}")
    async with websockets.connect(ws_url, max_size=None, compression=None) as ws:
        # Refused from its header: the server may close while the payload is still going out.
        try:
            await ws.send(b"x" * (21 << 20))
            await asyncio.wait_for(ws.recv(), 10)
            check(False, "websockets: a 21 MiB message was echoed")
        except websockets.ConnectionClosed as closed:
            check(closed.rcvd is not None and closed.rcvd.code == 1009, f"websockets: 21 MiB closes with 1009, got {closed.rcvd}")


async def with_aiohttp(url):
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url + "/ws", max_msg_size=0) as ws:
            await ws.send_str("hello aiohttp")
            message = await ws.receive()
            check(message.type == aiohttp.WSMsgType.TEXT and message.data == "hello aiohttp", f"aiohttp: text echo {message}")
            await ws.send_bytes(bytes(range(256)) * 4096)
            message = await ws.receive()
            check(message.type == aiohttp.WSMsgType.BINARY and message.data == bytes(range(256)) * 4096, "aiohttp: 1 MiB binary echo")
            await ws.send_json({"a": [1, 2]})
            check(await ws.receive_json() == {"a": [1, 2]}, "aiohttp: JSON echo")
            await ws.close(code=4002, message=b"bye")
            check(ws.close_code == 4002, f"aiohttp: close code echoed, got {ws.close_code}")
        headers = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "12"}
        async with session.get(url + "/ws", headers=headers) as response:
            check(response.status == 426, f"version 12: status {response.status}")
            check(response.headers.get("Sec-WebSocket-Version") == "13", "version 12: no Sec-WebSocket-Version: 13")
        async with session.get(url + "/ws") as response:
            check(response.status == 400, f"no handshake: status {response.status}")
        # Two members of a chat room. The server joins a member after the handshake, and reads
        # its messages only then: bob's own message coming back shows he has joined.
        async with session.ws_connect(url + "/chat/ws/interop") as alice, session.ws_connect(url + "/chat/ws/interop") as bob:
            await bob.send_str("bob here")
            message = await asyncio.wait_for(bob.receive(), 5)
            check(message.data == "bob here", f"chat: bob's own message came back as {message}")
            await alice.send_str("hi bob")
            for member in (alice, bob):
                message = await asyncio.wait_for(member.receive(), 5)
                if message.data == "bob here":  # alice had joined before bob spoke
                    message = await asyncio.wait_for(member.receive(), 5)
                check(message.data == "hi bob", f"chat: broadcast got {message}")


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    args = parser.parse_args()
    url = args.url.rstrip("/")
    await with_websockets(url)
    await with_aiohttp(url)
    if FAILURES:
        print("FAILED:\n  " + "\n  ".join(FAILURES))
        return 1
    print("websockets and aiohttp clients: echo, fragments, ping, close codes, 1009, 426, chat: ok")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
