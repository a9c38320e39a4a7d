#!/usr/bin/env python3
"""Headless Chromium on `aio serve`'s /chat: two pages join one room; a message sent from the
first shows up in both. Driven over the Chrome DevTools Protocol with Python's websockets.

    python chat_chromium.py --url http://127.0.0.1:PORT [--chromium /usr/bin/chromium]

Prints one summary line; exits 1 with details on any failure. Bounded: 60 s in all.
"""
import argparse
import asyncio
import json
import re
import shutil
import subprocess
import sys
import tempfile

import websockets


class DevTools:
    """Commands over one browser-level DevTools connection, with flattened page sessions."""

    def __init__(self, connection):
        self.connection = connection
        self.next_id = 0

    async def call(self, method, params=None, session=None):
        self.next_id += 1
        request = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            request["sessionId"] = session
        await self.connection.send(json.dumps(request))
        while True:
            reply = json.loads(await self.connection.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    async def open(self, url):
        target = await self.call("Target.createTarget", {"url": url})
        attached = await self.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
        return attached["sessionId"]

    async def evaluate(self, session, expression):
        result = await self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
        return result["result"].get("value")

    async def wait_for(self, session, expression, seconds=20):
        """Evaluates `expression` until it is truthy, for at most `seconds`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while loop.time() < deadline:
            value = await self.evaluate(session, expression)
            if value:
                return value
            await asyncio.sleep(0.1)
        raise TimeoutError(f"never true: {expression}")


async def run(url, chromium):
    profile = tempfile.mkdtemp(prefix="aio-chromium-")
    browser = subprocess.Popen(
        [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
         f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        endpoint = None
        for line in browser.stderr:
            found = re.search(r"DevTools listening on (ws://\S+)", line)
            if found:
                endpoint = found.group(1)
                break
        if not endpoint:
            return "Chromium did not start its DevTools endpoint"
        async with websockets.connect(endpoint, max_size=None) as connection:
            tools = DevTools(connection)
            alice = await tools.open(url + "/chat")
            bob = await tools.open(url + "/chat")
            for page in (alice, bob):
                await tools.wait_for(page, "document.title === 'joined'")
            await tools.evaluate(alice, "document.getElementById('text').value = 'hello from alice'; "
                                        "document.getElementById('form').requestSubmit(); true")
            seen = "Array.from(document.querySelectorAll('#messages li')).some(e => e.textContent === 'hello from alice')"
            for page in (bob, alice):
                await tools.wait_for(page, seen)
        return None
    finally:
        browser.kill()
        browser.wait()
        shutil.rmtree(profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    failure = asyncio.run(asyncio.wait_for(run(args.url.rstrip("/"), args.chromium), 60))
    if failure:
        print("FAILED: " + failure)
        return 1
    print("chromium: two pages in one /chat room, a message from one seen in both: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
