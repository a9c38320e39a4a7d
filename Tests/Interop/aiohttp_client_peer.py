#!/usr/bin/env python3
"""An aiohttp server for swift-aiohttp's client to talk to, on two ports of 127.0.0.1 (two
origins, for redirects that cross them).

    python aiohttp_client_peer.py

Prints "listening on PORT_A PORT_B", then serves on both:
  /cookies/set?name=value  sets the cookies given and answers {}
  /cookies                 the cookies received, as JSON
  /headers                 the header fields received, as JSON
  /cross?to=URL            302 to URL
  /upload                  a multipart form: [{name, filename, size, sha256}] per part
  /chunked                 {transfer_encoding, length, sha256} of the body received
  /expect                  100-continue unless "X-Refuse: yes" (then 417); {length} of the body
  /ws                      a WebSocket echoing text and binary messages
Runs until killed.
"""
import asyncio
import hashlib

from aiohttp import WSMsgType, web


async def cookies_set(request):
    response = web.json_response({})
    for name, value in request.query.items():
        response.set_cookie(name, value)
    return response


async def cookies(request):
    return web.json_response(dict(request.cookies))


async def headers(request):
    return web.json_response({name: value for name, value in request.headers.items()})


async def cross(request):
    raise web.HTTPFound(request.query["to"])


async def upload(request):
    parts = []
    reader = await request.multipart()
    async for part in reader:
        digest = hashlib.sha256()
        size = 0
        while chunk := await part.read_chunk():
            digest.update(chunk)
            size += len(chunk)
        parts.append({"name": part.name, "filename": part.filename, "size": size, "sha256": digest.hexdigest()})
    return web.json_response(parts)


async def chunked(request):
    body = await request.read()
    return web.json_response({
        "transfer_encoding": request.headers.get("Transfer-Encoding"),
        "length": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
    })


async def refuse_or_continue(request):
    if request.headers.get("X-Refuse") == "yes":
        raise web.HTTPExpectationFailed(text="refused before the body")
    request.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")


async def expect(request):
    body = await request.read()
    return web.json_response({"length": len(body)})


async def websocket(request):
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    async for message in ws:
        if message.type == WSMsgType.TEXT:
            await ws.send_str(message.data)
        elif message.type == WSMsgType.BINARY:
            await ws.send_bytes(message.data)
    return ws


async def main():
    app = web.Application()
    app.router.add_get("/cookies/set", cookies_set)
    app.router.add_get("/cookies", cookies)
    app.router.add_get("/headers", headers)
    app.router.add_get("/cross", cross)
    app.router.add_post("/upload", upload)
    app.router.add_post("/chunked", chunked)
    app.router.add_post("/expect", expect, expect_handler=refuse_or_continue)
    app.router.add_get("/ws", websocket)
    runner = web.AppRunner(app)
    await runner.setup()
    ports = []
    for _ in range(2):
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        ports.append(site._server.sockets[0].getsockname()[1])
    print("listening on", *ports, flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
