"""aiohttp's client in the same loop as ClientLoad: python client_aiohttp.py URL CONCURRENCY SECONDS

Prints requests per second and the process's CPU seconds."""
import asyncio
import resource
import sys
import time

import aiohttp


async def main(url, concurrency, seconds):
    deadline = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def worker():
            count = 0
            while time.monotonic() < deadline:
                async with session.get(url) as response:
                    body = await response.read()
                    assert response.status == 200 and body
                count += 1
            return count
        counts = await asyncio.gather(*(worker() for _ in range(concurrency)))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print("%.0f %.3f" % (sum(counts) / seconds, usage.ru_utime + usage.ru_stime))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
