"""The load of bench/load_faults.py (locust): public visitors, staff sessions and API clients.

Run by bench/load_faults.py, which starts the stack, writes the data file named by BENCH_DATA (API
keys, case numbers per agency, dataset names, service codes) and reads back the log named by
BENCH_LOG (one JSON line per request: when, which page type, status, milliseconds; and one per
accepted submission: the case number of an Open311 201, the token of a REST 202).

User classes and how many of each (environment variables set by load_faults.py):
- PublicVisitor (BENCH_PUBLIC_USERS, each about one request a second: the public burst): home, the
  open data catalog and dataset pages, the CKAN search, public meetings, the petition tracking page;
- StaffSession (BENCH_STAFF_USERS, think time BENCH_THINK_MIN..MAX seconds): signs in as a demo
  account (password rdec-demo-2026), then its inbox and its agency's case pages;
- ApiClient (BENCH_API_USERS, about BENCH_API_RATE requests a second each): Open311 GET and POST,
  REST reads, POST /api/v1/submissions/.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
import time
import uuid

from locust import FastHttpUser, between, constant_throughput, events, task

DATA = (
    json.loads(open(os.environ["BENCH_DATA"], encoding="utf-8").read()) if "BENCH_DATA" in os.environ else {}
)
_log = open(os.environ.get("BENCH_LOG", os.devnull), "a", encoding="utf-8")  # noqa: SIM115
_lock = threading.Lock()
PASSWORD = "rdec-demo-2026"  # noqa: S105 - the documented demo password
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _write(record: dict) -> None:
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    with _lock:
        _log.write(line + "\n")


@events.request.add_listener
def _on_request(request_type, name, response_time, response_length, response=None, exception=None, **kw):
    status = getattr(response, "status_code", 0) or 0
    _write(
        {
            "t": round(time.time() - response_time / 1000, 3),
            "n": name,
            "s": status,
            "ms": round(response_time, 1),
            "e": bool(exception) or status >= 400 or status == 0,
        }
    )


@events.quitting.add_listener
def _close(environment, **kw):
    with _lock:
        _log.flush()


class PublicVisitor(FastHttpUser):
    fixed_count = int(os.environ.get("BENCH_PUBLIC_USERS", "1"))
    wait_time = constant_throughput(1)

    @task(4)
    def home(self):
        self.client.get("/", name="public: home")

    @task(4)
    def catalog(self):
        self.client.get("/opendata/", name="public: open data catalog")

    @task(6)
    def dataset(self):
        name = random.choice(DATA["datasets"])  # noqa: S311
        self.client.get(f"/opendata/datasets/{name}/", name="public: dataset page")

    @task(2)
    def ckan_search(self):
        self.client.get("/api/3/action/package_search?q=人口&rows=10", name="public: CKAN package_search")

    @task(2)
    def meetings(self):
        self.client.get("/tracking/public/meetings/", name="public: public meetings")

    @task(2)
    def tracking(self):
        self.client.get("/petitions/track/", name="public: petition tracking")


class StaffSession(FastHttpUser):
    fixed_count = int(os.environ.get("BENCH_STAFF_USERS", "1"))
    wait_time = between(
        float(os.environ.get("BENCH_THINK_MIN", "10")), float(os.environ.get("BENCH_THINK_MAX", "30"))
    )

    def on_start(self):
        self.account = random.choice(DATA["staff_accounts"])  # noqa: S311
        self.cases = DATA["cases"].get(self.account["agency"]) or DATA["cases"]["all"]
        page = self.client.get("/accounts/login/", name="staff: sign-in page")
        match = CSRF.search(page.text or "")
        self.client.post(
            "/accounts/login/",
            data={
                "username": self.account["username"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": match.group(1) if match else "",
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name="staff: sign in",
        )

    @task(3)
    def inbox(self):
        self.client.get("/petitions/inbox/", name="staff: inbox")

    @task(5)
    def case(self):
        number = random.choice(self.cases)  # noqa: S311
        self.client.get(f"/petitions/cases/{number}/", name="staff: case page")


class ApiClient(FastHttpUser):
    fixed_count = int(os.environ.get("BENCH_API_USERS", "1"))
    wait_time = constant_throughput(float(os.environ.get("BENCH_API_RATE", "2")))

    def _point(self):
        return 24.14 + random.random() * 0.04, 120.64 + random.random() * 0.04  # noqa: S311

    @task(3)
    def open311_list(self):
        self.client.get("/open311/v2/requests.json", name="Open311: GET requests")

    @task(1)
    def open311_services(self):
        self.client.get("/open311/v2/services.json", name="Open311: GET services")

    @task(2)
    def open311_post(self):
        lat, lon = self._point()
        with self.client.post(
            "/open311/v2/requests.json",
            data={
                "api_key": DATA["write_key"],
                "service_code": random.choice(DATA["service_codes"]),  # noqa: S311
                "lat": f"{lat:.5f}",
                "long": f"{lon:.5f}",
                "description": "路燈不亮，晚上很暗，請派員修理。（負載測試）",
                "first_name": "小明",
                "last_name": "測",
                "phone": "0900000000",
            },
            headers={"Idempotency-Key": uuid.uuid4().hex},
            name="Open311: POST requests",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                number = response.json()[0]["service_request_id"]
                _write({"t": round(time.time(), 3), "accepted": "open311", "id": number})

    @task(3)
    def rest_cases(self):
        self.client.get(
            "/api/v1/cases/?page_size=20",
            headers={"Authorization": f"Api-Key {DATA['read_key']}"},
            name="REST: GET cases",
        )

    @task(1)
    def rest_categories(self):
        self.client.get(
            "/api/v1/categories/",
            headers={"Authorization": f"Api-Key {DATA['read_key']}"},
            name="REST: GET categories",
        )

    @task(3)
    def submission(self):
        lat, lon = self._point()
        body = {
            "category": random.choice(DATA["service_codes"]),  # noqa: S311
            "subject": "人行道破損",
            "description": "人行道地磚破損翹起，行人容易絆倒，請儘速修繕。（負載測試）",
            "lat": lat,
            "lon": lon,
            "petitioner_name": "測試民眾",
            "petitioner_phone": "0900000001",
        }
        with self.client.post(
            "/api/v1/submissions/",
            data=json.dumps(body),
            headers={
                "Authorization": f"Api-Key {DATA['write_key']}",
                "Content-Type": "application/json",
                "Idempotency-Key": uuid.uuid4().hex,
            },
            name="REST: POST submissions",
            catch_response=True,
        ) as response:
            if response.status_code in (201, 202):
                _write({"t": round(time.time(), 3), "accepted": "submission", "id": response.json()["token"]})
