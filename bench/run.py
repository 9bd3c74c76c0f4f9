#!/usr/bin/env python3
"""Zhurnal's benchmark harness.

    bench/run.py --database sqlite:///var/tmp/city.db [--scenarios healthz,diary,...]

Starts the release server on a free loopback port against a database made by
`zhurnal gen`, signs in many different users (parents, students, teachers — spread
over every school), and drives the server with wrk (bench/rotate.lua), always
measuring /healthz of the same server in the same run as the ceiling. Prints one
line per scenario and, with --json FILE, writes every figure for docs/BENCHMARKS.md.

Scenarios:
  healthz      the ceiling: no database, no session
  diary        (a) a parent's diary week, HTML (the home page of families)
  diary_json   (a) the same week as JSON (/api/v1/diary/week)
  journal      (b) a teacher's journal grid of a class, subject and period
  writes       (c) mark writes through the API, each answered after a durable commit
  mix          (d) 80% diary, 15% journal, 5% writes (--mix-seconds, default 300)
  period_marks (e) the proposed period marks of every student and subject of school 1
  overload     the diary with --overload-connections (default 2000) at once: the server
               should shed what it cannot serve in time (503 + Retry-After), not time out
Needs: wrk, python3 (standard library only), a release build of zhurnal.
"""

import argparse
import concurrent.futures
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PASSWORD = "demo"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`zhurnal serve` as a child process, with its peak resident memory sampled."""

    def __init__(self, binary, database, env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        full_env = dict(os.environ, ZHURNAL_LOG="warn", **env)
        self.proc = subprocess.Popen(
            [binary, "serve", "--database", database, "--listen", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(tempfile.gettempdir(), "zhurnal-bench-server.log"), "w"),
            env=full_env,
        )
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
            if self.proc.poll() is not None:
                sys.exit("bench: the server stopped; see zhurnal-bench-server.log in the temp dir")
        else:
            sys.exit("bench: the server did not answer /healthz within 120 s")
        self.peak_rss_kib = 0
        self._stop = threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()

    def rss_kib(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _sample(self):
        while not self._stop.is_set():
            self.peak_rss_kib = max(self.peak_rss_kib, self.rss_kib())
            time.sleep(0.5)

    def reset_peak(self):
        self.peak_rss_kib = self.rss_kib()

    def stop(self):
        self._stop.set()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def logins(binary, database, role, count):
    out = subprocess.check_output(
        [binary, "user", "list", "--database", database, "--role", role,
         "--limit", str(count), "--logins-only"],
        text=True,
    )
    found = [l.strip() for l in out.splitlines() if l.strip()]
    if not found:
        sys.exit(f"bench: no {role} logins in {database} (was it made by `zhurnal gen`?)")
    return found


def web_session(base, login):
    """Signs in through the login form like a browser; returns the session cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login", timeout=60).read().decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf": csrf, "next": "/", "login": login, "password": PASSWORD})
    opener.open(base + "/login", data=form.encode(), timeout=60).read()
    for c in jar:
        if c.name in ("zh_session", "__Host-zh_session"):
            return f"{c.name}={c.value}", opener
    raise RuntimeError(f"login of {login} failed")


def api_token(base, login):
    req = urllib.request.Request(
        base + "/api/v1/auth/token",
        data=json.dumps({"login": login, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)["access_token"]


def api_get(base, token, path):
    req = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)


def parallel(fn, items, workers=4):
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(fn, items))


def wrk(base, lines, seconds, connections, threads, label):
    """Runs wrk over the request lines; returns its JSON summary plus the rate."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        listing = f.name
    try:
        out = subprocess.run(
            ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
             "--timeout", "10s", "-s", os.path.join(HERE, "rotate.lua"), base],
            capture_output=True, text=True, env=dict(os.environ, ZHURNAL_BENCH_LIST=listing),
            check=True,
        ).stdout
    finally:
        os.unlink(listing)
    line = [l for l in out.splitlines() if l.startswith("{")]
    if not line:
        sys.exit(f"bench: wrk printed no summary for {label}:\n{out}")
    r = json.loads(line[-1])
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["errors"] = sum(r[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    r["scenario"] = label
    return r


def show(r, ceiling=None):
    ratio = f"  {100 * r['rps'] / ceiling:5.1f}% of /healthz" if ceiling else ""
    print(
        f"{r['scenario']:<13} {r['rps']:>9.0f} req/s  p50 {r['p50_us'] / 1000:6.2f} ms  "
        f"p99 {r['p99_us'] / 1000:6.2f} ms  errors {r['errors']}{ratio}"
        + (f"  peak RSS {r['peak_rss_mib']:.0f} MiB" if "peak_rss_mib" in r else ""),
        flush=True,
    )


def journal_links(base, teachers):
    """Each teacher's first journal (`/journal?journal=G-S`), as the journal page offers it."""
    def one(login):
        cookie, opener = web_session(base, login)
        page = opener.open(base + "/journal", timeout=60).read().decode()
        m = re.search(r'<option value="(\d+)-(\d+)"', page)
        if not m:
            return None
        g, s = int(m.group(1)), int(m.group(2))
        return cookie, f"/journal?journal={g}-{s}", g, s, login
    return [x for x in parallel(one, teachers) if x]


def write_targets(base, journals, today):
    """(token, lesson, student) for lessons of the last days, where teachers may still write."""
    frm = time.strftime("%Y-%m-%d", time.localtime(time.mktime(time.strptime(today, "%Y-%m-%d")) - 6 * 86400))

    def one(j):
        _, _, group, subject, login = j
        token = api_token(base, login)
        data = api_get(base, token, f"/api/v1/journal?group_id={group}&subject_id={subject}&from={frm}&to={today}")
        lessons = [l["id"] for l in data["lessons"] if l["status"] != "cancelled"]
        students = [s["id"] for s in data["students"]]
        return [(token, l, s) for l in lessons[-2:] for s in students[:10]]
    candidates = []
    for t in parallel(one, journals):
        candidates.extend(t)

    # Only cells the teacher may write now (their lesson, a student of its group, inside the
    # edit window): each is tried once, and the benchmark then rewrites those.
    def writable(c):
        tok, lesson, student = c
        req = urllib.request.Request(
            base + "/api/v1/journal/marks", method="PUT",
            data=json.dumps({"lesson_id": lesson, "person_id": student, "value": "4"}).encode(),
            headers={"Authorization": f"Bearer {tok}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status == 200
        except urllib.error.HTTPError:
            return False
    ok = parallel(writable, candidates)
    return [c for c, good in zip(candidates, ok) if good]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database", required=True, help="a database made by `zhurnal gen`")
    ap.add_argument("--binary", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "zhurnal"))
    ap.add_argument("--scenarios", default="healthz,diary,diary_json,journal,writes,period_marks,mix")
    ap.add_argument("--seconds", type=int, default=20, help="length of each scenario's run")
    ap.add_argument("--mix-seconds", type=int, default=300)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--overload-connections", type=int, default=2000)
    ap.add_argument("--users", type=int, default=400, help="parents (and as many students) signed in")
    ap.add_argument("--teachers", type=int, default=100)
    ap.add_argument("--label", default="", help="a name for this dataset in the JSON")
    ap.add_argument("--json", help="append the figures to this JSON-lines file")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if any scenario had errors or served nothing (CI's smoke test)")
    a = ap.parse_args()
    wanted = a.scenarios.split(",")
    if not os.path.exists(a.binary):
        sys.exit(f"bench: no release build at {a.binary}; run `cargo build --release -p zhurnal`")
    server = Server(a.binary, a.database, {})
    results = []
    try:
        base = server.base
        today = time.strftime("%Y-%m-%d")
        t0 = time.time()
        parents = logins(a.binary, a.database, "parent", a.users)
        family = parallel(lambda l: web_session(base, l)[0], parents)
        diary_lines = [f"GET\t/\tCookie: {c}\t" for c in family]
        teachers = logins(a.binary, a.database, "teacher", a.teachers)
        journals = journal_links(base, teachers)
        journal_lines = [f"GET\t{path}\tCookie: {c}\t" for c, path, *_ in journals]
        targets = write_targets(base, journals, today) if ("writes" in wanted or "mix" in wanted) else []
        write_lines = [
            f'PUT\t/api/v1/journal/marks\tAuthorization: Bearer {tok}\t{{"lesson_id":{l},"person_id":{s},"value":"{{v}}"}}'
            for tok, l, s in targets
        ]
        diary_json_lines = []
        if "diary_json" in wanted:
            tokens = parallel(lambda l: api_token(base, l), parents)
            diary_json_lines = [f"GET\t/api/v1/diary/week\tAuthorization: Bearer {t}\t" for t in tokens]
        print(f"signed in {len(family)} parents, {len(journals)} teachers in {time.time() - t0:.0f} s; "
              f"{len(write_lines)} writable cells", flush=True)
        ceiling = None

        def run(name, lines, seconds=a.seconds):
            if not lines:
                print(f"{name:<13} skipped: nothing to request", flush=True)
                return None
            server.reset_peak()
            r = wrk(base, lines, seconds, a.connections, a.threads, name)
            r["peak_rss_mib"] = server.peak_rss_kib / 1024
            r["users"] = len(set(l.split("\t")[2] for l in lines))
            r["dataset"] = a.label or a.database
            r["healthz_rps"] = ceiling
            results.append(r)
            show(r, ceiling)
            return r

        if "healthz" in wanted or True:
            h = run("healthz", ["GET\t/healthz\t\t"])
            ceiling = h["rps"]
        if "diary" in wanted:
            run("diary", diary_lines)
        if "diary_json" in wanted:
            run("diary_json", diary_json_lines)
        if "journal" in wanted:
            run("journal", journal_lines)
        if "writes" in wanted:
            run("writes", write_lines)
        if "period_marks" in wanted:
            t = time.time()
            out = subprocess.run(
                [a.binary, "report", "period-marks", "--database", a.database, "--school", "1", "--output", os.devnull],
                capture_output=True, text=True, check=True,
            )
            secs = time.time() - t
            r = {"scenario": "period_marks", "seconds": secs, "detail": out.stderr.strip().splitlines()[-1:],
                 "dataset": a.label or a.database}
            results.append(r)
            print(f"period_marks  {secs:.2f} s  {' '.join(r['detail'])}", flush=True)
        if "overload" in wanted:
            # Shed requests are the expected answer here, not errors of the run.
            server.reset_peak()
            r = wrk(base, diary_lines, a.seconds, a.overload_connections, a.threads, "overload")
            r["peak_rss_mib"] = server.peak_rss_kib / 1024
            r["healthz_rps"] = ceiling
            r["dataset"] = a.label or a.database
            r["shed"] = r["status_errors"]
            r["errors"] = r["errors"] - r["status_errors"]
            results.append(r)
            show(r, ceiling)
            print(f"{'':<13} {r['shed']} answered 503 (shed), {r['timeouts']} timed out, "
                  f"{r['connect_errors'] + r['read_errors']} connection errors", flush=True)
        if "mix" in wanted:
            # 16 diary : 3 journal : 1 write, interleaved so every stretch of the run has the mix.
            mix = []
            n = max(len(diary_lines), 1)
            for k in range(n):
                if not (diary_lines and journal_lines and write_lines):
                    break
                block = [diary_lines[(k * 16 + i) % len(diary_lines)] for i in range(16)]
                block += [journal_lines[(k * 3 + i) % len(journal_lines)] for i in range(3)]
                block.append(write_lines[k % len(write_lines)])
                mix.extend(block)
            run("mix", mix, a.mix_seconds)
    finally:
        server.stop()
    failed = [r["scenario"] for r in results if r.get("errors") or r.get("requests") == 0]
    if a.check and failed:
        sys.exit(f"bench: errors in {', '.join(failed)}")
    if a.json:
        with open(a.json, "a") as f:
            for r in results:
                r["date"] = time.strftime("%Y-%m-%d")
                f.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
