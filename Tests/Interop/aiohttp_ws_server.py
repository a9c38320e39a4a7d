#!/usr/bin/env python3
"""An aiohttp WebSocket server for our client to talk to, on 127.0.0.1.

    python aiohttp_ws_server.py

Prints "listening on PORT", then serves /ws: text and binary messages are echoed; "deflate?"
is answered with whether permessage-deflate was negotiated; "ping-me" makes the server ping
and answer "pong seen" once the pong arrives; "close NNNN" closes with that code. Runs until
killed.
"""
import asyncio
import sys

from aiohttp import WSMsgType, web


async def websocket(request):
    ws = web.WebSocketResponse(autoping=False)
    await ws.prepare(request)
    async for message in ws:
        if message.type == WSMsgType.TEXT:
            if message.data == "deflate?":
                await ws.send_str("deflate" if ws.compress else "plain")
            elif message.data == "ping-me":
                await ws.ping(b"from aiohttp")
            elif message.data.startswith("close "):
                await ws.close(code=int(message.data.split()[1]), message=b"as asked")
            else:
                await ws.send_str(message.data)
        elif message.type == WSMsgType.BINARY:
            await ws.send_bytes(message.data)
        elif message.type == WSMsgType.PONG:
            await ws.send_str("pong seen: " + message.data.decode())
        elif message.type == WSMsgType.PING:
            await ws.pong(message.data)
    return ws


async def main():
    app = web.Application()
    app.router.add_get("/ws", websocket)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    print(f"listening on {port}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
