#!/usr/bin/env python3
"""Measures the server-side rendering of "my exchanges" (GET /exchanges) with wrk on loopback
(docs/benchmarks.md, "Web pages"; issue 14: 50 exchanges, p95 ≤ 15 ms).

Files N exchanges (default 50) for one official's country through the JSON API, signs her in
through the sign-in form (a session cookie, as a browser holds it), checks the page lists them
all, then runs wrk on GET /exchanges with that cookie at each connection count and prints the
latency percentiles, p95 included (wrk's --latency omits it; a Lua `done` prints it). Uses a
private cluster in a temporary folder, deleted at the end.

  swift build -c release --product meridian
  scripts/bench-web.py --bin .build/release/meridian [--exchanges 50] [--duration 20] [--connections 1,4,16]
"""
import argparse, http.client, json, os, re, shutil, subprocess, sys, tempfile, time, urllib.parse

DONE = """
done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms  p90 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms  requests %d  errors %d\\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""

def run(*args, env, check=True):
    return subprocess.run(args, env=env, check=check, capture_output=True, text=True).stdout

def cookies(answer):
    jar = {}
    for name, value in answer.getheaders():
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, val = pair.partition("=")
            jar[key] = val
    return jar

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/release/meridian")
    parser.add_argument("--exchanges", type=int, default=50)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", default="1,4,16")
    parser.add_argument("--port", type=int, default=18091)
    parser.add_argument("--compare", action="store_true", help="also time the API reads the page makes, and the sign-in page")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench-web: wrk is missing (apt-get install wrk)")

    work = tempfile.mkdtemp(prefix="meridian-bench-web-")
    os.chmod(work, 0o755)
    env = dict(os.environ, MERIDIAN_DATA_DIR=f"{work}/pg", XDG_CONFIG_HOME=f"{work}/config")
    env.pop("MERIDIAN_TOKEN", None); env.pop("MERIDIAN_DATABASE_URL", None)
    m = lambda *a, **k: run(args.bin, *a, env=env, **k)
    server = None
    try:
        m("db", "start"); m("workflow", "deploy", "Workflows/knowledge-exchange.xml", "Workflows/grant.xml")
        admin = m("user", "add", "ada", "--name", "Ada", "--role", "admin").strip().splitlines()[-1]
        env["MERIDIAN_TOKEN"] = admin
        m("kb", "seed")
        m("user", "add", "amani", "--name", "Amani", "--role", "official", "--country", "COD")
        official = m("token", "create", "--user", "amani").strip().splitlines()[-1]
        del env["MERIDIAN_TOKEN"]
        server = subprocess.Popen([args.bin, "serve", "--port", str(args.port), "--rate-limit", "1000000"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=open(f"{work}/serve.log", "w"))
        for _ in range(200):
            try:
                c = http.client.HTTPConnection("127.0.0.1", args.port); c.request("GET", "/readyz")
                if c.getresponse().status == 200: break
            except OSError: pass
            time.sleep(0.1)

        connection = http.client.HTTPConnection("127.0.0.1", args.port)
        headers = {"Authorization": f"Bearer {official}", "Content-Type": "application/json"}
        for index in range(args.exchanges):
            body = json.dumps({"country": "COD", "country_name": "DR Congo", "region": "sub-saharan-africa", "income_group": "low",
                               "development_goal": f"Lasting peace in the east, district {index + 1}",
                               "institutional_challenge": "Reintegrating ex-combatants", "change_objective": "A community-based programme",
                               "sectors": ["demobilisation-reintegration"], "instruments": ["study-visit"],
                               "indicators": [{"name": "Livelihoods", "unit": "%", "baseline": 12, "target": 40}]})
            connection.request("POST", "/api/v1/exchanges", body, headers)
            answer = connection.getresponse(); payload = answer.read()
            if answer.status != 201: sys.exit(f"loading failed at {index}: {answer.status} {payload[:200]!r}")

        # Sign in as a browser does: the form's CSRF cookie and field, then the session cookie.
        connection.request("GET", "/sign-in")
        answer = connection.getresponse(); page = answer.read().decode()
        csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', page).group(1)
        jar = cookies(answer)
        form = urllib.parse.urlencode({"csrf": csrf, "token": official})
        connection.request("POST", "/sign-in", form, {"Content-Type": "application/x-www-form-urlencoded",
                                                      "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
        answer = connection.getresponse(); answer.read()
        session = cookies(answer).get("mrd_session")
        if answer.status != 303 or not session: sys.exit(f"bench-web: signing in failed ({answer.status})")
        cookie = f"mrd_session={session}"
        connection.request("GET", "/exchanges", headers={"Cookie": cookie})
        answer = connection.getresponse(); page = answer.read()
        rows = page.count(b'<a href="/exchanges/') - page.count(b'<a href="/exchanges/new"')
        print(f"GET /exchanges: {answer.status}, {len(page)} bytes, {rows} exchanges listed")
        if rows != args.exchanges: sys.exit(f"bench-web: the page lists {rows} exchanges, not {args.exchanges}")

        script = f"{work}/done.lua"
        with open(script, "w") as f: f.write(DONE)
        for connections in [int(c) for c in args.connections.split(",")]:
            out = subprocess.run(["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{args.duration}s", "-s", script,
                                  "-H", f"Cookie: {cookie}", f"http://127.0.0.1:{args.port}/exchanges"],
                                 capture_output=True, text=True).stdout
            rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
            summary = out.strip().splitlines()[-1]
            print(f"== GET /exchanges ({args.exchanges} exchanges), {connections} connection(s), {args.duration} s: "
                  f"{float(rate.group(1)) if rate else 0:.0f} requests/s; {summary}")
        if args.compare:
            # Where the time goes: the JSON API's reads that the page makes, at one connection.
            for path in ("/api/v1/exchanges?limit=200", "/api/v1/inbox", "/sign-in"):
                auth = [] if path == "/sign-in" else ["-H", f"Authorization: Bearer {official}"]
                out = subprocess.run(["wrk", "-t1", "-c1", f"-d{args.duration}s", "-s", script, *auth, f"http://127.0.0.1:{args.port}{path}"],
                                     capture_output=True, text=True).stdout
                print(f"== GET {path}, 1 connection, {args.duration} s: {out.strip().splitlines()[-1]}")
        print("load average:", open("/proc/loadavg").read().strip())
    finally:
        if server: server.terminate(); server.wait()
        subprocess.run([args.bin, "db", "stop"], env=env, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
