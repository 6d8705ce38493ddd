"""HTTP GET from a local http.server, over whatever `_socket` this interpreter has.

Plain Python 3.4, so it runs on both hosts:
    ipy samples/http_get.py                      (IronPython, with IronSocket in DLLs/)
    ipy samples/http_get.py --dll .../IronSocket.dll      (IronPython, loading IronSocket itself)
    python3.11 samples/http_get.py --so artifacts/cpython/IronSocket.CPython.so
Exits 0 when the page came back intact.
"""
import sys
import threading

import load_ironsocket  # noqa: F401  (before socket: puts IronSocket's _socket and select in place)
import http.client
import http.server

BODY = b"<html><body>Hello from http.server over IronSocket</body></html>\n"


class Handler(http.server.BaseHTTPRequestHandler):
    body = BODY

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


def main():
    print("Using %s" % load_ironsocket.describe())
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    host, port = server.server_address[:2]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        conn = http.client.HTTPConnection(host, port, timeout=10)
        conn.request("GET", "/index.html")
        response = conn.getresponse()
        body = response.read()
        conn.close()
    finally:
        server.shutdown()
        server.server_close()
    print("GET http://%s:%d/index.html -> %d %s, %d bytes" % (host, port, response.status, response.reason, len(body)))
    print(body.decode().strip())
    return 0 if response.status == 200 and body == BODY else 1


if __name__ == "__main__":
    sys.exit(main())
