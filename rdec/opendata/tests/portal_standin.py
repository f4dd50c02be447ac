"""A local stand-in for data.gov.tw's v2 dataset API (open-data.md §2.2), since the real portal is
unreachable here. It checks the documented request shape and answers as the portal does."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATH = "/api/v2/rest/dataset"
REQUIRED = {
    "categoryService",
    "identifier",
    "title",
    "description",
    "license",
    "cost",
    "dataProvider",
    "publisherOID",
    "publisherContactName",
    "publisherContactPhone",
    "publisherContactEmail",
    "updateFrequency",
    "detectFrequency",
    "language",
    "keyword",
    "distribution",
}
OPTIONAL = {
    "categoryTheme",
    "categoryDataset",
    "coverageStartedDate",
    "coverageEndedDate",
    "spatialCoverage",
    "relatedUrl",
    "notes",
    "fieldDescription",
    "costUrl",
    "costLaw",
}
DISTRIBUTION = {
    "resourceDescription",
    "resourceField",
    "qcLevel",
    "resourceFormat",
    "resourceCharacterEncoding",
    "resourceDownloadUrl",
    "resourceAmount",
    "resourceNotes",
}
SYSTEM = {"type", "dataQuality", "publishedDate", "modifiedDate", "resourceModifiedDate"}


class Portal:
    def __init__(self, key: str = "test-key"):
        self.key = key
        self.datasets: dict[str, dict] = {}
        self.requests: list[tuple[str, str, dict | None]] = []
        self.problems: list[str] = []
        self.fail_next = 0  # answer this many requests with HTTP 503
        self.next_id = 6564
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{PATH}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _check(self, body) -> list[str]:
        problems = []
        if not isinstance(body, dict):
            return ["the body is not a JSON object"]
        problems += [f"missing {k}" for k in sorted(REQUIRED - set(body))]
        problems += [f"unknown {k}" for k in sorted(set(body) - REQUIRED - OPTIONAL - SYSTEM)]
        problems += [f"system field {k}" for k in sorted(SYSTEM & set(body))]
        if not re.fullmatch(r"[0-9A-Z]{10}-\d{6}", str(body.get("identifier", ""))):
            problems.append("identifier")
        if not isinstance(body.get("keyword"), list):
            problems.append("keyword is not a list")
        for item in body.get("distribution") or []:
            if set(item) != DISTRIBUTION:
                problems.append(f"distribution keys {sorted(set(item) ^ DISTRIBUTION)}")
        return problems

    def _handler(self):
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status: int, body: dict) -> None:
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                portal.requests.append((method, self.path, body))
                if portal.fail_next > 0:
                    portal.fail_next -= 1
                    return self._reply(503, {"success": False, "error": "Service Unavailable"})
                if self.headers.get("Authorization") != portal.key:
                    # The portal answers a wrong key with HTTP 200 and ER0001.
                    return self._reply(200, {"success": False, "error": {"error_type": "ER0001:API Key錯誤"}})
                match = re.fullmatch(rf"{PATH}(?:/(\d+))?", self.path)
                if match is None:
                    return self._reply(404, {"success": False, "error": {"error_type": "not found"}})
                dataset_id = match.group(1)
                if method in ("POST", "PUT"):
                    if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                        portal.problems.append("content type")
                    problems = portal._check(body)
                    if problems:
                        portal.problems.extend(problems)
                        return self._reply(
                            200,
                            {
                                "success": False,
                                "error": {
                                    "error_type": "ER0031:資料集屬性錯誤",
                                    "message": "; ".join(problems),
                                },
                            },
                        )
                if method == "POST":
                    if dataset_id:
                        return self._reply(405, {"success": False})
                    new_id = str(portal.next_id)
                    portal.next_id += 1
                    portal.datasets[new_id] = body
                    return self._reply(
                        200,
                        {"success": True, "result": {"identifier": body["identifier"], "datasetId": new_id}},
                    )
                if dataset_id not in portal.datasets:
                    return self._reply(
                        200, {"success": False, "error": {"error_type": "ER0050:欲修改的資料集不存在"}}
                    )
                if method == "PUT":
                    portal.datasets[dataset_id] = body
                    return self._reply(
                        200,
                        {
                            "success": True,
                            "result": {"identifier": body["identifier"], "datasetId": dataset_id},
                        },
                    )
                del portal.datasets[dataset_id]
                return self._reply(200, {"success": True, "result": {"datasetId": dataset_id}})

            def do_POST(self):  # noqa: N802
                self._handle("POST")

            def do_PUT(self):  # noqa: N802
                self._handle("PUT")

            def do_DELETE(self):  # noqa: N802
                self._handle("DELETE")

        return Handler
