#!/usr/bin/env python3
"""Signs the cases that tests/aws/sigv4/botocore_crosscheck_test.cpp generates, with botocore, at each case's
frozen time, so the C++ signer can be compared with an independent implementation byte for byte.

stdin:  {"cases": [case, ...]}; stdout: {"botocore": version, "results": [result, ...]} in the same order.

case kinds:
  header   - botocore.auth.SigV4Auth over {method, url, headers [[name, value]], body, unsigned_payload}
             -> {signature, authorization, canonical_request, sent_headers: the headers after signing}
  presign  - botocore.auth.SigV4QueryAuth over {method, url, headers, expires} -> {signature, url, canonical_request}
  rds_copy - a real botocore RDS client in dest_region calls CopyDBClusterSnapshot(**params, SourceRegion=...)
             with the HTTP send stubbed; -> {url: the PreSignedUrl botocore injected}
Every case carries access_key, secret_key, token (null or a string) and epoch (seconds, the frozen time).
"""

import datetime
import json
import sys
import urllib.parse
from unittest import mock

import botocore
import botocore.auth
import botocore.session
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials


class CapturingMixin:
    """Keeps the canonical request botocore computed, for diagnostics on a mismatch."""

    captured = ""

    def canonical_request(self, request):
        self.captured = super().canonical_request(request)
        return self.captured


class HeaderAuth(CapturingMixin, botocore.auth.SigV4Auth):
    pass


class QueryAuth(CapturingMixin, botocore.auth.SigV4QueryAuth):
    pass


def frozen(epoch):
    now = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).replace(tzinfo=None)
    return mock.patch("botocore.auth.get_current_datetime", return_value=now)


def credentials(case):
    return Credentials(case["access_key"], case["secret_key"], case.get("token"))


def build_request(case):
    body = case.get("body", "")
    request = AWSRequest(method=case["method"], url=case["url"], data=body.encode("utf-8") if body else None)
    for name, value in case["headers"]:
        request.headers[name] = value  # HTTPHeaders appends: repeated headers stay repeated
    return request


def sign_header(case):
    request = build_request(case)
    if case.get("unsigned_payload"):
        request.context["payload_signing_enabled"] = False
    auth = HeaderAuth(credentials(case), case["service"], case["region"])
    with frozen(case["epoch"]):
        auth.add_auth(request)
    authorization = request.headers["Authorization"]
    return {
        "signature": authorization.rsplit("Signature=", 1)[1],
        "authorization": authorization,
        "canonical_request": auth.captured,
        "sent_headers": [[name, value] for name, value in request.headers.items()],
    }


def sign_presign(case):
    request = build_request(case)
    auth = QueryAuth(credentials(case), case["service"], case["region"], expires=case["expires"])
    with frozen(case["epoch"]):
        auth.add_auth(request)
    return {
        "signature": request.url.rsplit("X-Amz-Signature=", 1)[1],
        "url": request.url,
        "canonical_request": auth.captured,
    }


class _RawBody:
    def __init__(self, data):
        self._data = data

    def stream(self, **_kwargs):
        yield self._data


_RDS_REPLY = (
    b'<CopyDBClusterSnapshotResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">'
    b"<CopyDBClusterSnapshotResult/><ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata>"
    b"</CopyDBClusterSnapshotResponse>"
)
_session = botocore.session.get_session()


def rds_presigned_url(case):
    client = _session.create_client(
        "rds",
        region_name=case["dest_region"],
        aws_access_key_id=case["access_key"],
        aws_secret_access_key=case["secret_key"],
        aws_session_token=case.get("token"),
    )
    sent = {}

    def stub_send(request, **_kwargs):
        # Nothing leaves the process: capture the body botocore would send and answer with a minimal reply.
        sent["body"] = request.body
        sent["url"] = request.url
        return AWSResponse(request.url, 200, {}, _RawBody(_RDS_REPLY))

    client.meta.events.register("before-send.rds.CopyDBClusterSnapshot", stub_send)
    params = {}
    for name, value in case["params"]:
        params[name] = value
    with frozen(case["epoch"]):
        client.copy_db_cluster_snapshot(SourceRegion=case["source_region"], **params)
    body = sent["body"].decode("utf-8") if isinstance(sent["body"], bytes) else sent["body"]
    form = urllib.parse.parse_qs(body, keep_blank_values=True)
    return {"url": form["PreSignedUrl"][0], "endpoint": sent["url"]}


def main():
    cases = json.load(sys.stdin)["cases"]
    handlers = {"header": sign_header, "presign": sign_presign, "rds_copy": rds_presigned_url}
    results = [handlers[case["kind"]](case) for case in cases]
    json.dump({"botocore": botocore.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
