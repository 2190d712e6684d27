#!/usr/bin/env python3
"""Prints the form body botocore sends for a cross-region CopyDBClusterSnapshot (with its PreSignedUrl)
at a frozen time, for rds_botocore_test.cpp to compare with the RDS client's body byte for byte.

Input (argv[1]): JSON {"time": epoch_seconds, "region": dest, "source_region": src, "access_key": ...,
"secret_key": ..., "session_token": ..., "params": {CopyDBClusterSnapshot parameters}}.
"""
import datetime
import json
import sys

import botocore.auth
import botocore.session


def main():
    spec = json.loads(sys.argv[1])
    frozen = datetime.datetime.fromtimestamp(spec["time"], datetime.timezone.utc).replace(tzinfo=None)
    botocore.auth.get_current_datetime = lambda *a, **k: frozen
    session = botocore.session.get_session()
    client = session.create_client(
        "rds", region_name=spec["region"], aws_access_key_id=spec["access_key"],
        aws_secret_access_key=spec["secret_key"], aws_session_token=spec.get("session_token") or None)
    captured = {}

    def capture(request, **kwargs):
        captured["body"] = request.body.decode() if isinstance(request.body, bytes) else request.body
        raise RuntimeError("captured")

    client.meta.events.register("before-send.rds.CopyDBClusterSnapshot", capture)
    params = dict(spec["params"])
    params["SourceRegion"] = spec["source_region"]
    try:
        client.copy_db_cluster_snapshot(**params)
    except RuntimeError:
        pass
    print(captured["body"])


if __name__ == "__main__":
    main()
