#!/usr/bin/env python3
"""botocore's side of the DescribeDBClusters round-trip benchmark (bench/roundtrip_bench.cpp).

One operation = what botocore does in-process for a call, minus the network: serialize the parameters
with the Query serializer, prepare the request dict, build the AWSRequest, sign it with SigV4Auth, prepare
it, and parse the response XML with the QueryParser into Python structures. Prints one JSON line:
{"us_per_op": <median CPU microseconds per operation>, "botocore": "<version>", ...}.
"""
import argparse
import json
import statistics
import sys
import time

import botocore
import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, prepare_request_dict
from botocore.credentials import Credentials
from botocore.parsers import create_parser
from botocore.serialize import create_serializer

PARAMS = {
    "Filters": [{"Name": "engine", "Values": ["aurora-postgresql"]}],
    "MaxRecords": 100,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--response", required=True)
    ap.add_argument("--iterations", type=int, default=500)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()

    with open(args.response, "rb") as f:
        body = f.read()
    session = botocore.session.get_session()
    model = session.get_service_model("rds")
    op = model.operation_model("DescribeDBClusters")
    serializer = create_serializer("query", include_validation=False)
    parser = create_parser("query")
    creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    endpoint = "https://rds.us-east-1.amazonaws.com"

    def one():
        request_dict = serializer.serialize_to_request(PARAMS, op)
        prepare_request_dict(request_dict, endpoint_url=endpoint)
        request = AWSRequest(method=request_dict["method"], url=request_dict["url"], data=request_dict["body"],
                             headers=request_dict["headers"])
        SigV4Auth(creds, "rds", "us-east-1").add_auth(request)
        request.prepare()
        parsed = parser.parse({"status_code": 200, "headers": {}, "body": body}, op.output_shape)
        assert len(parsed["DBClusters"]) == 4
        return parsed

    for _ in range(max(10, args.iterations // 10)):
        one()
    runs = []
    for _ in range(args.repeats):
        start = time.process_time()
        for _ in range(args.iterations):
            one()
        runs.append((time.process_time() - start) / args.iterations * 1e6)
    print(json.dumps({"us_per_op": statistics.median(runs), "clock": "process cpu time", "runs_us": runs, "iterations": args.iterations,
                      "botocore": botocore.__version__, "python": sys.version.split()[0]}))


if __name__ == "__main__":
    main()
