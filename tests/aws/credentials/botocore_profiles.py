#!/usr/bin/env python3
"""Prints, as JSON, the profiles botocore builds from pairs of shared config / credentials files.

Usage: botocore_profiles.py CONFIG CREDENTIALS [CONFIG CREDENTIALS ...]
Output: a JSON list, one entry per pair: {"profiles": {name: {key: value-or-{sub: value}}}} or
{"error": "..."} when botocore refuses the files. Used by the credentials tests as an independent parser.
"""
import json
import os
import sys

import botocore.session


def profiles_of(config_path, credentials_path):
    os.environ["AWS_CONFIG_FILE"] = config_path
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = credentials_path
    try:
        # Why: Session.full_config merges the credentials file over the config file key by key, as the SDKs do.
        return {"profiles": botocore.session.Session().full_config.get("profiles", {})}
    except Exception as exc:  # botocore raises ConfigParseError and friends
        return {"error": type(exc).__name__}


def main(argv):
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    pairs = argv[1:]
    out = [profiles_of(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv)
