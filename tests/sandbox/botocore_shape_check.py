#!/usr/bin/env python3
"""Checks an AWS-compatible endpoint's RAW responses against botocore's models (issue #3, acceptance 2).

For every call of a calls file, the operation is sent with botocore (the newest models on the machine) and
its raw HTTP response body is:
  1. parsed by botocore's own response parser against the operation's output shape (or error shape);
  2. walked recursively against the output shape of service-2.json: every XML element / JSON member must be in
     the model, every required member present, every value of its declared type (integer, boolean, timestamp,
     enum, blob …). Query responses must be <OpResponse xmlns=NS><OpResult>…</OpResult><ResponseMetadata>
     <RequestId>; Query errors <ErrorResponse xmlns=NS><Error><Type><Code><Message></Error><RequestId>;
     JSON errors {"__type", "message"|"Message"} with x-amzn-ErrorType.

Calls file (JSON): a list of calls, run in order:
  {"service": "sns", "operation": "CreateTopic", "params": {"Name": "t1"},
   "save": {"topic": "TopicArn"},            # remember parsed values by dotted path for later calls
   "expect_error": "NotFound"}               # optional: the call must fail with this code
A string param "${topic}" (or containing it) is replaced by a saved value.

Usage: botocore_shape_check.py --endpoint http://127.0.0.1:PORT --calls FILE [--calls FILE2] [--region R]
Exit status 0 when every response conforms, 1 otherwise (each problem printed), 2 on bad usage.
The RDS suite reuses this script with its own calls file.
"""

import argparse
import base64
import datetime
import json
import re
import sys
import xml.etree.ElementTree as ET

import botocore
import botocore.config
import botocore.session
from botocore import parsers

SCALARS = {"string", "integer", "long", "boolean", "timestamp", "double", "float", "blob"}


class Checker:
    def __init__(self, model, problems, where):
        self.model = model
        self.problems = problems
        self.where = where

    def report(self, path, message):
        self.problems.append(f"{self.where}: {path}: {message}")

    # -- scalars -------------------------------------------------------------------------------------------
    def check_scalar_text(self, shape, text, path):
        kind = shape.type_name
        if kind == "string":
            enum = shape.enum
            if enum and text not in enum:
                self.report(path, f"'{text}' is not one of the enum {shape.name}")
        elif kind in ("integer", "long"):
            if not re.fullmatch(r"-?\d+", text or ""):
                self.report(path, f"'{text}' is not an {kind}")
        elif kind == "boolean":
            if text not in ("true", "false"):
                self.report(path, f"'{text}' is not a boolean")
        elif kind in ("double", "float"):
            try:
                float(text)
            except (TypeError, ValueError):
                self.report(path, f"'{text}' is not a {kind}")
        elif kind == "timestamp":
            if not self.is_timestamp_text(text):
                self.report(path, f"'{text}' is not an ISO 8601 timestamp")
        elif kind == "blob":
            try:
                base64.b64decode(text or "", validate=True)
            except ValueError:
                self.report(path, "blob is not base64")

    @staticmethod
    def is_timestamp_text(text):
        if not text:
            return False
        try:
            datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
            return True
        except ValueError:
            return False

    # -- XML (Query protocol) ------------------------------------------------------------------------------
    @staticmethod
    def local(tag):
        return tag.split("}", 1)[1] if tag.startswith("{") else tag

    def walk_xml(self, shape, elem, path):
        kind = shape.type_name
        if kind == "structure":
            members = {}
            for name, member in shape.members.items():
                members[member.serialization.get("name", name)] = (name, member)
            seen = set()
            for child in elem:
                tag = self.local(child.tag)
                if tag not in members:
                    self.report(f"{path}/{tag}", f"element not in the model of {shape.name}")
                    continue
                name, member = members[tag]
                seen.add(name)
                if member.type_name == "list" and member.serialization.get("flattened"):
                    self.walk_xml_list_item(member, child, f"{path}/{tag}")
                else:
                    self.walk_xml(member, child, f"{path}/{tag}")
            for req in shape.required_members:
                if req not in seen:
                    self.report(path, f"required member {req} of {shape.name} is missing")
        elif kind == "list":
            item = shape.member
            item_name = item.serialization.get("name", "member")
            for child in elem:
                tag = self.local(child.tag)
                if tag != item_name:
                    self.report(f"{path}/{tag}", f"list item should be <{item_name}>")
                    continue
                self.walk_xml(item, child, f"{path}/{tag}")
        elif kind == "map":
            for entry in elem:
                if self.local(entry.tag) != "entry":
                    self.report(path, f"map item should be <entry>, got <{self.local(entry.tag)}>")
                    continue
                for part in entry:
                    sub = shape.key if self.local(part.tag) == "key" else shape.value
                    self.walk_xml(sub, part, f"{path}/entry/{self.local(part.tag)}")
        elif kind in SCALARS:
            if len(elem):
                self.report(path, f"{kind} has child elements")
            self.check_scalar_text(shape, elem.text or "", path)
        else:
            self.report(path, f"unknown shape type {kind}")

    def walk_xml_list_item(self, list_shape, elem, path):
        self.walk_xml(list_shape.member, elem, path)

    def check_query_success(self, op, body):
        ns = self.model.metadata.get("xmlNamespace")
        root = ET.fromstring(body)
        expected_root = f"{{{ns}}}{op.name}Response"
        if root.tag != expected_root:
            self.report("/", f"root is {root.tag}, expected {expected_root}")
            return
        children = [self.local(c.tag) for c in root]
        wrapper = op.output_shape.serialization.get("resultWrapper") if op.output_shape else None
        allowed = {"ResponseMetadata"} | ({wrapper} if wrapper else set())
        for c in children:
            if c not in allowed:
                self.report(f"/{c}", "element not allowed in the response envelope")
        meta = root.find(f"{{{ns}}}ResponseMetadata/{{{ns}}}RequestId")
        if meta is None or not (meta.text or "").strip():
            self.report("/ResponseMetadata", "RequestId is missing")
        if op.output_shape is None:
            return
        if wrapper:
            result = root.find(f"{{{ns}}}{wrapper}")
            if result is None:
                self.report("/", f"<{wrapper}> is missing")
                return
            self.walk_xml(op.output_shape, result, f"/{wrapper}")

    def check_query_error(self, body, headers):
        ns = self.model.metadata.get("xmlNamespace")
        root = ET.fromstring(body)
        if root.tag != f"{{{ns}}}ErrorResponse":
            self.report("/", f"error root is {root.tag}, expected {{{ns}}}ErrorResponse")
            return None
        error = root.find(f"{{{ns}}}Error")
        if error is None:
            self.report("/ErrorResponse", "<Error> is missing")
            return None
        fields = {self.local(c.tag): (c.text or "") for c in error}
        for required in ("Type", "Code", "Message"):
            if required not in fields:
                self.report("/ErrorResponse/Error", f"<{required}> is missing")
        if fields.get("Type") not in ("Sender", "Receiver"):
            self.report("/ErrorResponse/Error/Type", f"'{fields.get('Type')}' is neither Sender nor Receiver")
        request_id = root.find(f"{{{ns}}}RequestId")
        if request_id is None or not request_id.text:
            self.report("/ErrorResponse", "<RequestId> is missing")
        return fields.get("Code")

    # -- JSON ----------------------------------------------------------------------------------------------
    def walk_json(self, shape, value, path):
        kind = shape.type_name
        if kind == "structure":
            if not isinstance(value, dict):
                self.report(path, f"expected an object for {shape.name}")
                return
            members = {m.serialization.get("name", n): n for n, m in shape.members.items()}
            for key, sub in value.items():
                if key not in members:
                    self.report(f"{path}.{key}", f"member not in the model of {shape.name}")
                    continue
                self.walk_json(shape.members[members[key]], sub, f"{path}.{key}")
            for req in shape.required_members:
                if req not in value:
                    self.report(path, f"required member {req} of {shape.name} is missing")
        elif kind == "list":
            if not isinstance(value, list):
                self.report(path, "expected a list")
                return
            for i, item in enumerate(value):
                self.walk_json(shape.member, item, f"{path}[{i}]")
        elif kind == "map":
            if not isinstance(value, dict):
                self.report(path, "expected a map")
                return
            for k, v in value.items():
                self.walk_json(shape.key, k, f"{path}<key>")
                self.walk_json(shape.value, v, f"{path}[{k}]")
        elif kind == "string":
            if not isinstance(value, str):
                self.report(path, f"expected a string, got {type(value).__name__}")
            elif shape.enum and value not in shape.enum:
                self.report(path, f"'{value}' is not one of the enum {shape.name}")
        elif kind in ("integer", "long"):
            if not isinstance(value, int) or isinstance(value, bool):
                self.report(path, f"expected an {kind}, got {value!r}")
        elif kind == "boolean":
            if not isinstance(value, bool):
                self.report(path, f"expected a boolean, got {value!r}")
        elif kind in ("double", "float"):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                self.report(path, f"expected a number, got {value!r}")
        elif kind == "timestamp":
            ok = (isinstance(value, (int, float)) and not isinstance(value, bool)) or (
                isinstance(value, str) and self.is_timestamp_text(value))
            if not ok:
                self.report(path, f"expected an epoch-seconds timestamp, got {value!r}")
        elif kind == "blob":
            if not isinstance(value, str):
                self.report(path, "expected a base64 string")
            else:
                self.check_scalar_text(shape, value, path)
        else:
            self.report(path, f"unknown shape type {kind}")

    def check_json_error(self, body, headers):
        try:
            doc = json.loads(body)
        except ValueError:
            self.report("/", "error body is not JSON")
            return None
        code = doc.get("__type", "")
        if not code:
            self.report("/", "__type is missing")
        if "message" not in doc and "Message" not in doc:
            self.report("/", "message is missing")
        for key in doc:
            if key not in ("__type", "message", "Message"):
                self.report(f".{key}", "unexpected member in the error body")
        if headers.get("x-amzn-errortype", "").split(":")[0] != code.split("#")[-1]:
            self.report("/", "x-amzn-ErrorType does not name the error")
        return code.split("#")[-1]


def substitute(value, saved):
    if isinstance(value, str):
        for name, v in saved.items():
            if value == "${" + name + "}":
                return v
            value = value.replace("${" + name + "}", str(v))
        return value
    if isinstance(value, list):
        return [substitute(v, saved) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, saved) for k, v in value.items()}
    return value


def dig(doc, dotted):
    for part in dotted.split("."):
        if isinstance(doc, list):
            doc = doc[int(part)]
        else:
            doc = doc[part]
    return doc


def run_call(session, endpoint, region, call, saved, problems):
    service = call["service"]
    op_name = call["operation"]
    where = f"{service}.{op_name}" + (f" ({call['name']})" if "name" in call else "")
    client = session.create_client(service, region_name=call.get("region", region), endpoint_url=endpoint,
                                   aws_access_key_id=call.get("access_key", "test"),
                                   aws_secret_access_key=call.get("secret_key", "test"),
                                   config=botocore.config.Config(retries={"max_attempts": 1}))
    model = client.meta.service_model
    op = model.operation_model(op_name)
    captured = {}

    def on_response(response_dict, **_):
        captured["status"] = response_dict["status_code"]
        captured["headers"] = {k.lower(): v for k, v in response_dict["headers"].items()}
        captured["body"] = response_dict["body"]

    # botocore emits before-parse with the raw response (status, headers, body bytes) before parsing it.
    client.meta.events.register("before-parse", on_response)
    method = getattr(client, botocore.xform_name(op_name))
    error_code = None
    parsed = None
    try:
        parsed = method(**substitute(call.get("params", {}), saved))
    except client.exceptions.ClientError as e:
        error_code = e.response["Error"]["Code"]
    if "body" not in captured:
        problems.append(f"{where}: no response captured")
        return
    checker = Checker(model, problems, where)
    body = captured["body"]
    headers = captured["headers"]
    protocol = model.metadata["protocol"]
    if not headers.get("x-amzn-requestid"):
        checker.report("/", "x-amzn-RequestId header is missing")
    expected_error = call.get("expect_error")
    if expected_error:
        if error_code != expected_error:
            checker.report("/", f"expected error {expected_error}, got {error_code or 'success'}")
        code = checker.check_query_error(body, headers) if protocol == "query" else checker.check_json_error(body, headers)
        if code and code != expected_error:
            checker.report("/", f"raw error code {code} differs from {expected_error}")
        return
    if error_code:
        checker.report("/", f"unexpected error {error_code}: {body[:300]!r}")
        return
    # 1. botocore's own parser on the raw body.
    parser = parsers.create_parser(protocol)
    reparsed = parser.parse({"status_code": captured["status"], "headers": headers, "body": body},
                            op.output_shape)
    if "Error" in reparsed and reparsed["Error"].get("Code"):
        checker.report("/", f"botocore parsed an error from a success body: {reparsed['Error']}")
    # 2. the raw walk against the model.
    if protocol == "query":
        checker.check_query_success(op, body)
    elif protocol in ("json", "rest-json"):
        if op.output_shape is not None:
            doc = json.loads(body) if body.strip() else {}
            checker.walk_json(op.output_shape, doc, "$")
        elif body.strip() not in (b"", b"{}"):
            checker.report("$", "operation has no output but the body is not empty")
    else:
        checker.report("/", f"protocol {protocol} is not supported by this checker")
    for name, dotted in call.get("save", {}).items():
        try:
            saved[name] = dig(parsed, dotted)
        except (KeyError, IndexError, TypeError):
            checker.report("/", f"cannot save {name} from {dotted}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--calls", action="append", required=True)
    ap.add_argument("--region", default="us-east-1")
    args = ap.parse_args()
    session = botocore.session.get_session()
    calls = []
    for path in args.calls:
        with open(path, encoding="utf-8") as f:
            calls.extend(json.load(f))
    problems = []
    saved = {}
    for call in calls:
        before = len(problems)
        try:
            run_call(session, args.endpoint, args.region, call, saved, problems)
        except Exception as e:  # a crash in one call is one problem, not the end of the run
            problems.append(f"{call.get('service')}.{call.get('operation')}: {type(e).__name__}: {e}")
        status = "ok" if len(problems) == before else "FAIL"
        print(f"{status:4} {call['service']}.{call['operation']} {call.get('name', '')}".rstrip())
    for p in problems:
        print("PROBLEM", p)
    print(f"{len(calls)} calls, {len(problems)} problems (botocore {botocore.__version__})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
