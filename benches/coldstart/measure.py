#!/usr/bin/env python3
"""Cold start of the processor binary, measured against local servers.

For each run: start the binary with AWS_LAMBDA_RUNTIME_API pointing at a
local Runtime API and AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING at a local Chime
stand-in, then measure
  init   exec -> the first GET /runtime/invocation/next
  first  the first event handed out -> its response posted (callback included)
  warm   the second event handed out -> its response posted
  rss    VmHWM (peak resident set) after both invocations
Prints the median and p90 of each over the runs, and the binary size.

Usage: benches/coldstart/measure.py [BINARY] [RUNS]
  BINARY defaults to target/release/processor; RUNS to 30.
Only 127.0.0.1 is contacted. Local HTTP has no TLS: the handshake that the
init-time warm-up saves in AWS is not part of these figures.
"""
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARN = "arn:aws:chime:us-east-1:111122223333:app-instance/8e5a3c1b-7f2d-4b6a-9c0e-1d2f3a4b5c6d/channel/0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def event(i):
    return json.dumps({
        "EventType": "CHANNEL_MESSAGE_EVENT",
        "CallbackId": "6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c",
        "ChannelMessage": {
            "MessageId": f"msg-{i}", "ChannelArn": ARN, "Type": "STANDARD", "Persistence": "PERSISTENT",
            "Content": "Hi team, the deploy is done; ping me at dana@example.com or 415-555-0132 if anything breaks.",
        },
    }).encode()


class Run:
    def __init__(self):
        self.lock = threading.Condition()
        self.first_next = None
        self.served = {}
        self.answered = {}
        self.queue = [event(1), event(2)]


def runtime_handler(run):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def do_GET(self):
            now = time.perf_counter()
            with run.lock:
                if run.first_next is None:
                    run.first_next = now
                while not run.queue:
                    run.lock.wait()
                body = run.queue.pop(0)
                request_id = f"req-{len(run.served) + 1}"
                run.served[request_id] = time.perf_counter()
            self.send_response(200)
            self.send_header("Lambda-Runtime-Aws-Request-Id", request_id)
            self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
            self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:111122223333:function:p")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            now = time.perf_counter()
            length = int(self.headers.get("Content-Length", 0))
            self.rfile.read(length)
            request_id = self.path.split("/")[4]
            with run.lock:
                run.answered[request_id] = now
                run.lock.notify_all()
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


class Chime(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.reply(403, {"message": "Missing Authentication Token"})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        self.reply(200, {"CallbackId": body["CallbackId"], "ChannelArn": ARN})


def serve(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def once(binary, chime_port):
    run = Run()
    api = serve(runtime_handler(run))
    env = {
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{api.server_address[1]}",
        "AWS_LAMBDA_FUNCTION_NAME": "processor", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING": f"http://127.0.0.1:{chime_port}",
    }
    start = time.perf_counter()
    process = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with run.lock:
        while len(run.answered) < 2:
            if not run.lock.wait(timeout=30):
                raise SystemExit("the processor did not answer")
    with open(f"/proc/{process.pid}/status") as status:
        rss_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    process.kill()
    process.wait()
    api.shutdown()
    return {
        "init_ms": (run.first_next - start) * 1000,
        "first_ms": (run.answered["req-1"] - run.served["req-1"]) * 1000,
        "warm_ms": (run.answered["req-2"] - run.served["req-2"]) * 1000,
        "rss_mb": rss_kb / 1024,
    }


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/processor"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    chime = serve(Chime)
    results = [once(binary, chime.server_address[1]) for _ in range(runs)]
    print(f"binary: {binary}, {os.path.getsize(binary) / 1e6:.1f} MB, {runs} runs")
    for key in ["init_ms", "first_ms", "warm_ms", "rss_mb"]:
        values = sorted(r[key] for r in results)
        p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
        print(f"{key:9} median {statistics.median(values):7.2f}   p90 {p90:7.2f}")


if __name__ == "__main__":
    main()
