"""A small OTLP/HTTP trace collector for the tracing interop test.

Listens on 127.0.0.1 (an ephemeral port, printed as "listening on PORT"), accepts
`POST /v1/traces` with a protobuf `ExportTraceServiceRequest` (gzip or not), answers an
`ExportTraceServiceResponse`, and prints each span as one JSON line ("span {...}"): ids in hex,
name, kind, status, the resource's service.name and the attributes as strings or integers.
A request it cannot decode, or of another content type, gets 400 and a line "rejected ...".
"""

import gzip
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import Span


def value(any_value):
    """A scalar as itself; arrays, maps and bytes as their text (printed with default=str)."""
    kind = any_value.WhichOneof("value")
    return getattr(any_value, kind) if kind else None


def attributes(pairs):
    return {pair.key: value(pair.value) for pair in pairs}


class Collector(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reject(self, reason):
        print("rejected " + reason, flush=True)
        self.send_response(400)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path != "/v1/traces":
            return self.reject("path " + self.path)
        if self.headers.get("Content-Type") != "application/x-protobuf":
            return self.reject("content type " + str(self.headers.get("Content-Type")))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        request = ExportTraceServiceRequest()
        try:
            request.ParseFromString(body)
        except Exception as error:  # a malformed message is the exporter's bug: say so
            return self.reject("message " + repr(error))
        for resource_spans in request.resource_spans:
            service = attributes(resource_spans.resource.attributes).get("service.name")
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    print("span " + json.dumps({
                        "service": service,
                        "trace_id": span.trace_id.hex(),
                        "span_id": span.span_id.hex(),
                        "parent_span_id": span.parent_span_id.hex(),
                        "name": span.name,
                        "kind": Span.SpanKind.Name(span.kind),
                        "status": span.status.code,
                        "duration_ns": span.end_time_unix_nano - span.start_time_unix_nano,
                        "attributes": attributes(span.attributes),
                    }, sort_keys=True, default=str), flush=True)
        answer = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    print("listening on %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
