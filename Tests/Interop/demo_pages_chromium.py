#!/usr/bin/env python3
"""Headless Chromium (Debian's) on `aio serve`'s pages: /, /upload, /chat and /forms/post, each
at a desktop and a phone width. For each: the stylesheet applied, nothing wider than the
window, a screenshot written to the screenshots directory for a person to look at. Then each
page's own controls: every "try" link of the index answers (not 404, not 5xx); the upload
page uploads its sample file and shows the SHA-256 the server returned (checked against the
file's own); two chat pages in one room see a message sent from one of them; the pizza form
posts its fields to /post. Driven over the Chrome DevTools Protocol with Python's websockets.

    python demo_pages_chromium.py --url http://127.0.0.1:PORT --screenshots DIR [--chromium PATH]

Prints one line per check; exits 1 with details on the first failure. Bounded: 90 s in all.
"""
import argparse
import asyncio
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

import websockets

PAGES = ["/", "/upload", "/chat", "/forms/post"]
# (name, width, height, mobile): a laptop's window and a phone's (iPhone 12 to 15 in CSS pixels).
WIDTHS = [("desktop", 1280, 800, False), ("phone", 390, 844, True)]
SAMPLE = "Bonjour, 世界\n".encode()


class DevTools:
    """Commands over one browser-level DevTools connection, with flattened page sessions."""

    def __init__(self, connection):
        self.connection = connection
        self.next_id = 0
        self.events = []

    async def call(self, method, params=None, session=None):
        """One command's result; 30 s at most, so a browser that stops answering fails the run."""
        return await asyncio.wait_for(self._call(method, params, session), 30)

    async def _call(self, method, params, session):
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
            if "method" in reply:
                self.events.append(reply)

    async def open(self, url, width=1280, height=800, mobile=False):
        target = await self.call("Target.createTarget", {"url": "about:blank"})
        attached = await self.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
        session = attached["sessionId"]
        await self.call("Runtime.enable", {}, session)
        await self.call("Emulation.setDeviceMetricsOverride",
                        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}, session)
        await self.call("Page.navigate", {"url": url}, session)
        await self.wait_for(session, f"location.href === {json.dumps(url)} && document.readyState === 'complete'")
        return session

    async def evaluate(self, session, expression):
        result = await self.call("Runtime.evaluate",
                                 {"expression": expression, "returnByValue": True, "awaitPromise": True}, session)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, session, expression, seconds=20):
        """Evaluates `expression` until it is truthy, for at most `seconds`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while loop.time() < deadline:
            try:
                value = await self.evaluate(session, expression)
            except RuntimeError as error:
                message = str(error).lower()
                if "context" not in message and "navigated" not in message:
                    raise
                value = None  # the page is between documents (a navigation, a form posting)
            if value:
                return value
            await asyncio.sleep(0.1)
        raise TimeoutError(f"never true: {expression}")

    def exceptions(self, session):
        """The uncaught script errors a page reported."""
        return [event["params"]["exceptionDetails"] for event in self.events
                if event.get("method") == "Runtime.exceptionThrown" and event.get("sessionId") == session]


async def screenshot(tools, page, file):
    await tools.call("Page.bringToFront", {}, page)
    shot = await tools.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, page)
    with open(file, "wb") as out:
        out.write(base64.b64decode(shot["data"]))


def check(condition, message):
    if not condition:
        raise AssertionError(message)


async def layouts(tools, url, directory):
    """Each page at each width: styled, fitting the window, no script errors, a screenshot."""
    for path in PAGES:
        for name, width, height, mobile in WIDTHS:
            page = await tools.open(url + path, width, height, mobile)
            where = f"{path} at {name} width"
            styled = await tools.evaluate(page, "getComputedStyle(document.querySelector('.bar')).display === 'flex'")
            check(styled, f"{where}: the stylesheet is not applied")
            overflow = await tools.evaluate(page, "document.documentElement.scrollWidth - window.innerWidth")
            check(overflow <= 0, f"{where}: the page is {overflow} px wider than the window")
            check(not tools.exceptions(page), f"{where}: script errors {tools.exceptions(page)}")
            file = os.path.join(directory, (path.strip("/").replace("/", "-") or "index") + f"-{name}.png")
            await screenshot(tools, page, file)
            print(f"{where}: styled, fits, screenshot {os.path.basename(file)}")


async def index_links(tools, url):
    page = await tools.open(url + "/")
    links = await tools.evaluate(page, "Array.from(document.querySelectorAll('a.try')).map(a => a.getAttribute('href'))")
    check(len(links) >= 40, f"only {len(links)} try links on the index")
    # credentials: "omit" keeps the browser from waiting for a login on the auth challenges.
    statuses = await tools.evaluate(page, """
        Promise.all(Array.from(document.querySelectorAll('a.try')).map(a =>
          Promise.race([
            fetch(a.href, {credentials: 'omit'}).then(r => r.arrayBuffer().then(() => r.status)),
            new Promise(done => setTimeout(() => done('no answer in 30 s'), 30000)),
          ]).then(status => [a.getAttribute('href'), status])))""")
    broken = [(link, status) for link, status in statuses if not isinstance(status, int) or status == 404 or status >= 500]
    check(not broken, f"index links that do not answer: {broken}")
    print(f"index: {len(links)} try links, none answers 404 or 5xx")


async def upload(tools, url, directory):
    page = await tools.open(url + "/upload")
    await tools.evaluate(page, "document.getElementById('sample').click(); document.getElementById('upload').requestSubmit(); true")
    await tools.wait_for(page, "document.querySelector('#status.done') !== null")
    rows = await tools.evaluate(page, "Array.from(document.querySelectorAll('#parts tr')).map(r => Array.from(r.cells).map(c => c.textContent))")
    files = [row for row in rows if row[1] == "résumé 履歴書.txt"]
    check(len(files) == 1, f"upload: the sample file is not among the parts shown: {rows}")
    expected = hashlib.sha256(SAMPLE).hexdigest()
    check(files[0][3] == expected, f"upload: SHA-256 shown {files[0][3]}, the file's is {expected}")
    check(any(row[0] == "title" for row in rows), f"upload: the text fields are not shown: {rows}")
    await screenshot(tools, page, os.path.join(directory, "upload-done-desktop.png"))
    print(f"upload: the sample file's SHA-256 shown as the server computed it ({expected[:12]}…)")


async def chat(tools, url, directory):
    alice = await tools.open(url + "/chat")
    bob = await tools.open(url + "/chat", 390, 844, True)
    for page in (alice, bob):
        await tools.wait_for(page, "document.documentElement.dataset.state === 'joined'")
    found = "Array.from(document.querySelectorAll('#messages li')).find(e => e.textContent === {text})?.className"
    # A page says it joined when its WebSocket opens, before the server has put it in the room:
    # Bob's message reaching Alice shows that both are in (each joins before reading).
    await tools.evaluate(bob, "document.getElementById('text').value = 'hi alice, from a phone'; "
                              "document.getElementById('form').requestSubmit(); true")
    await tools.wait_for(alice, f"({found.format(text=json.dumps('hi alice, from a phone'))}) === ''")
    await tools.evaluate(alice, "document.getElementById('text').value = 'hello from alice'; "
                                "document.getElementById('form').requestSubmit(); true")
    mine = found.format(text=json.dumps("hello from alice"))
    check(await tools.wait_for(alice, mine) == "mine", "chat: the sender's own message is not marked as its own")
    await tools.wait_for(bob, f"({mine}) === ''")
    await screenshot(tools, alice, os.path.join(directory, "chat-conversation-desktop.png"))
    print("chat: two pages in one room, a message from each seen by the other, marked as the sender's own")


async def form(tools, url):
    page = await tools.open(url + "/forms/post")
    await tools.evaluate(page, """
        document.querySelector('[name=custname]').value = 'Ada';
        document.querySelector('[name=size][value=large]').checked = true;
        document.querySelector('[name=topping][value=cheese]').checked = true;
        // Submitted once this evaluation has answered: a navigation under way would fail it.
        setTimeout(() => document.querySelector('form').requestSubmit(), 0); true""")
    await tools.wait_for(page, "location.pathname === '/post' && document.readyState === 'complete'")
    posted = json.loads(await tools.evaluate(page, "document.querySelector('pre').textContent"))
    check(posted["form"].get("custname") == "Ada" and posted["form"].get("size") == "large"
          and posted["form"].get("topping") == "cheese", f"form: /post read {posted['form']}")
    print("form: the pizza order's fields reach /post")


async def run(url, chromium, directory):
    profile = tempfile.mkdtemp(prefix="aio-chromium-")
    browser = subprocess.Popen(
        [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
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
        # Keep reading what Chromium logs, or it blocks once the pipe is full.
        threading.Thread(target=lambda: [None for _ in browser.stderr], daemon=True).start()
        async with websockets.connect(endpoint, max_size=None, close_timeout=1) as connection:
            tools = DevTools(connection)
            try:
                await layouts(tools, url, directory)
                await index_links(tools, url)
                await upload(tools, url, directory)
                await chat(tools, url, directory)
                await form(tools, url)
            except (AssertionError, RuntimeError, TimeoutError) as failure:
                return str(failure)
        return None
    finally:
        browser.kill()
        browser.wait()
        shutil.rmtree(profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    failure = asyncio.run(asyncio.wait_for(run(args.url.rstrip("/"), args.chromium, args.screenshots), 90))
    if failure:
        print("FAILED: " + failure)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
