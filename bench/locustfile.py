"""Load profile for `make load`: people sign in once, then read and sometimes check in.

Users come from the file named by LODESTAR_LOAD_USERS (e-mail per line, written by bench/load.py);
all share the generated organizations' password. Of every 12 actions, 11 are reads — My goals (4),
one of their objectives (3), the company page, the KPI list, a search — and one is a check-in.
Nobody works before everyone has signed in; the statistics are reset at that moment, so that
what locust prints is the steady state, and the sign-in ramp is reported apart at the end.
"""

import itertools
import os
import random
import re
import time

import gevent
import gevent.event
from locust import HttpUser, between, events, task

with open(os.environ["LODESTAR_LOAD_USERS"]) as users_file:
    USERS = itertools.cycle(users_file.read().split())
PASSWORD = os.environ.get("LODESTAR_LOAD_PASSWORD", "lodestar-bench")
SLUG = os.environ["LODESTAR_LOAD_ORGANIZATION"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHECK_IN_FORM = re.compile(r'action="(/[^"]+/key-results/(\d+)/check-in/)"')
OBJECTIVE_LINK = re.compile(r'href="(/[^"/]+/objectives/\d+/)"')
SEARCH_WORDS = ("platform", "customer", "pl", "growth", "quality", "hiring")
LOGIN_SECONDS: list[float] = []
EVERYONE_SIGNED_IN = gevent.event.Event()


class Person(HttpUser):
    wait_time = between(2, 8)

    def on_start(self):
        self.email = next(USERS)
        page = self.client.get("/accounts/login/", name="sign-in page")
        started = time.perf_counter()
        with self.client.post(
            "/accounts/login/",
            {"login": self.email, "password": PASSWORD, "csrfmiddlewaretoken": CSRF.search(page.text).group(1)},
            name="sign in",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")
        LOGIN_SECONDS.append(time.perf_counter() - started)
        if len(LOGIN_SECONDS) == self.environment.parsed_options.num_users:
            self.environment.stats.reset_all()
            print(f"All {len(LOGIN_SECONDS)} people signed in: statistics reset, steady state from here.")
            EVERYONE_SIGNED_IN.set()
        # Nobody starts working before everyone has signed in, then each starts at a random moment.
        EVERYONE_SIGNED_IN.wait()
        gevent.sleep(random.uniform(0, 8))
        self.forms, self.objectives = [], []
        self.read_home()

    @task(4)
    def read_home(self):
        with self.client.get(f"/{SLUG}/", name="my goals", catch_response=True) as response:
            if response.status_code != 200 or "My goals" not in response.text:
                response.failure(f"my goals answered {response.status_code}")
                return
            self.csrf = CSRF.search(response.text).group(1)
            self.forms = CHECK_IN_FORM.findall(response.text)
            self.objectives = OBJECTIVE_LINK.findall(response.text)

    @task(3)
    def read_objective(self):
        if not self.objectives:
            self.read_home()
            return
        self.read(random.choice(self.objectives), "objective")

    @task(1)
    def read_company(self):
        self.read(f"/{SLUG}/company/", "company")

    @task(1)
    def read_kpis(self):
        self.read(f"/{SLUG}/kpis/", "KPI list")

    @task(1)
    def search(self):
        self.read(f"/{SLUG}/search/?q={random.choice(SEARCH_WORDS)}", "search")

    def read(self, path: str, name: str):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{name} answered {response.status_code}")

    @task(1)
    def check_in(self):
        if not self.forms:
            self.read_home()
            return
        action, key_result_id = random.choice(self.forms)
        prefix = f"kr{key_result_id}-"
        data = {
            "csrfmiddlewaretoken": self.csrf,
            f"{prefix}value": str(random.randint(0, 500)),
            f"{prefix}percent": str(random.randint(0, 100)),
            f"{prefix}done": random.choice(["on", ""]),
            f"{prefix}status": random.choice(["on_track", "needs_attention", "off_track"]),
            f"{prefix}comment": random.choice(["", "Steady week.", "Blocked by a supplier."]),
        }
        with self.client.post(action, data, name="check in", catch_response=True, allow_redirects=False) as response:
            if response.status_code != 302:
                response.failure(f"check-in answered {response.status_code}")


@events.quitting.add_listener
def report_sign_ins(environment, **kwargs):
    if LOGIN_SECONDS:
        ordered = sorted(LOGIN_SECONDS)
        p95 = ordered[int(len(ordered) * 0.95) - 1]
        print(f"Sign-in ramp: {len(ordered)} sign-ins, median {ordered[len(ordered) // 2] * 1000:.0f} ms, "
              f"p95 {p95 * 1000:.0f} ms (password hashing by design)")  # fmt: skip
