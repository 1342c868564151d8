"""The benchmark's endpoints: every GET answers 200 after a fixed delay, any number at once.

    /usr/bin/python3 slow_server.py PORT DELAY_MS

asyncio Protocol callbacks (no coroutine per request), a timer per request, a deep listen
backlog and HTTP/1.1 keep-alive: the server never becomes the queue, so the clients' own
concurrency is what the benchmark measures. Pipelined requests on one connection are answered
in order, each after its own delay.
"""
import asyncio
import sys

RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
            b"Content-Length: 3\r\n\r\nok\n")


class SlowHttp(asyncio.Protocol):
    def __init__(self, loop, delay):
        self.loop = loop
        self.delay = delay
        self.buffer = b""
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head, rest = self.buffer[:end], self.buffer[end + 4:]
            length = 0
            for line in head.split(b"\r\n")[1:]:
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            if len(rest) < length:
                return
            self.buffer = rest[length:]
            self.loop.call_later(self.delay, self.answer)

    def answer(self):
        if not self.transport.is_closing():
            self.transport.write(RESPONSE)


async def main(port, delay):
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SlowHttp(loop, delay), "127.0.0.1", port,
                                      backlog=4096)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]) / 1000))
