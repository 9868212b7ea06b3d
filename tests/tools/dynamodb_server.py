#!/usr/bin/env python3
"""moto's DynamoDB-compatible server, applying one request at a time.

usage: dynamodb_server.py HOST PORT

moto's own `moto_server` runs requests on many threads and applies an
UpdateItem without a lock, so two concurrent updates of one item can lose
one of them. DynamoDB never does: an UpdateItem is atomic
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.AtomicCounters).
This wraps moto's application in one lock, so the server applies writes to
an item one after another as DynamoDB does, while still accepting many
connections. Tests that check counts under concurrency need this; a client
that read an item and wrote it back would still lose updates here.
"""
import os
import sys
import threading

from werkzeug.serving import run_simple

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("MOTO_PORT", str(port))
    application = DomainDispatcherApplication(create_backend_app)
    lock = threading.Lock()

    def one_at_a_time(environ, start_response):
        with lock:
            # The whole response is produced under the lock.
            return list(application(environ, start_response))

    run_simple(
        host,
        port,
        one_at_a_time,
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
