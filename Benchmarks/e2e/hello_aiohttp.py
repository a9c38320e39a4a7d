"""aiohttp's hello world, for the end-to-end comparison: python hello_aiohttp.py PORT"""
import sys

from aiohttp import web


async def hello(request):
    return web.Response(text="Hello, World!")


async def json_hello(request):
    return web.json_response({"message": "Hello, World!"})


app = web.Application()
app.router.add_get("/", hello)
app.router.add_get("/json", json_hello)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
