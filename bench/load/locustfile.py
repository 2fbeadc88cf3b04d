"""The end-of-month rush: every agency's system submits updates and values while leaders
open the dashboard. Run by bench/load/run (gunicorn on loopback, then locust headless).

Each agency user takes an agency that has not reported yet, saves its draft a few times
(bulk writes of its open assignments and its indicator values, each with a new
idempotency key), then submits it and takes the next agency. Sometimes it retries the
same request, which must be replayed, not done again. Every write that succeeded is
written to var/load/done-<pid>.jsonl with what it wrote, so that bench/load/check.py can
count the reports, updates and values in the database afterwards.
"""

import json
import os
import random
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task

ROOT = Path(__file__).resolve().parents[2]
SETUP = json.loads((ROOT / "var" / "load" / "tokens.json").read_text())
AGENCIES = list(SETUP["agencies"].items())
random.Random(57).shuffle(AGENCIES)  # ministries, provinces and communes mixed
DONE: list[dict] = []


class AgencySystem(HttpUser):
    weight = 3
    wait_time = between(1, 3)

    def on_start(self):
        self.take_next_agency()

    def take_next_agency(self):
        self.slug = None
        if AGENCIES:
            self.slug, info = AGENCIES.pop()
            self.headers = {"Authorization": f"Bearer {info['token']}"}
            self.assignments = info["assignments"]
            self.url = f"/api/v1/agency-reports/{self.slug}/{SETUP['period']}/bulk"
            self.drafts_left = random.randint(2, 5)

    def payload(self, submit: bool) -> dict:
        updates = [{"assignment_id": a, "status": "in_progress",
                    "result": f"Đang triển khai, đạt {random.randint(10, 90)}%."}
                   for a in random.sample(self.assignments, min(5, len(self.assignments)))]
        values = [{"indicator": f"chi-tieu-thu-{i:03d}",
                   "value": str(round(random.uniform(10, 95), 2)) if i % 2 == 0
                   else str(random.randint(100, 100000))}
                  for i in random.sample(range(20), 8)]
        targets = [{"indicator": "chi-tieu-thu-000", "value": str(random.randint(40, 90))}]
        return {"idempotency_key": f"{self.slug}-{uuid.uuid4()}", "updates": updates,
                "values": values, "targets": targets, "submit": submit}

    @task(5)
    def submit(self):
        if self.slug is None:
            return self.read_tasks()  # every agency has reported
        submitting = self.drafts_left == 0
        body = self.payload(submitting)
        with self.client.post(self.url, json=body, headers=self.headers,
                              name="bulk write, submitted" if submitting else "bulk write",
                              catch_response=True) as response:
            if response.status_code == 200 and not response.json()["replayed"]:
                DONE.append({"key": body["idempotency_key"], "agency": self.slug,
                             "assignments": [u["assignment_id"] for u in body["updates"]],
                             "values": [v["indicator"] for v in body["values"]],
                             "targets": [t["indicator"] for t in body["targets"]],
                             "submitted": submitting})
                response.success()
            else:
                response.failure(f"{response.status_code} {response.text[:200]}")
                return
        if random.random() < 0.2:  # a client that did not see the answer tries again
            with self.client.post(self.url, json=body, headers=self.headers,
                                  name="bulk write, retried", catch_response=True) as again:
                if again.status_code == 200 and again.json()["replayed"]:
                    again.success()
                else:
                    again.failure(f"not replayed: {again.status_code} {again.text[:200]}")
        if submitting:
            self.take_next_agency()
        else:
            self.drafts_left -= 1

    @task(2)
    def read_tasks(self):
        if self.slug is not None:
            self.client.get(f"/api/v1/tasks?organisation={self.slug}&status=overdue",
                            headers=self.headers, name="API tasks of the agency")


class Leader(HttpUser):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        self.client.get("/dang-nhap/", name="login page")
        token = self.client.cookies.get("csrftoken")
        self.client.post("/dang-nhap/", {"username": SETUP["leader"],
                                         "password": SETUP["password"],
                                         "csrfmiddlewaretoken": token},
                         headers={"Referer": self.host + "/dang-nhap/"}, name="login")

    @task(4)
    def dashboard(self):
        self.client.get("/", name="dashboard")

    @task(1)
    def task_list(self):
        self.client.get("/nhiem-vu/?trang_thai=overdue", name="task list")

    @task(1)
    def indicator(self):
        self.client.get("/chi-tieu/chi-tieu-thu-000/", name="indicator page")


@events.quitting.add_listener
def _save(environment, **kwargs):
    out = ROOT / "var" / "load" / f"done-{os.getpid()}.jsonl"
    out.write_text("".join(json.dumps(line) + "\n" for line in DONE))
