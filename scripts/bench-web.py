#!/usr/bin/env python3
"""Measures the server-side rendering of "my exchanges" (GET /exchanges) with wrk on loopback
(docs/benchmarks.md, "Web pages"; issue 14: 50 exchanges, p95 ≤ 15 ms).

Files N exchanges (default 50) for one official's country through the JSON API, signs her in
through the sign-in form (a session cookie, as a browser holds it), checks the page lists them
all, then runs wrk on GET /exchanges with that cookie at each connection count and prints the
latency percentiles, p95 included (wrk's --latency omits it; a Lua `done` prints it). With
`--exchange-page` it also measures GET /exchanges/{id} (one exchange, the newest). Uses a
private cluster in a temporary folder, deleted at the end.

Several `--bin` are measured side by side on the SAME cluster and data (the first binary loads
it), one server at a time, `--rounds` times in turn (A B A B …), so a shared host's load falls on
each alike. Every binary must serve the same HTML for the measured pages (byte for byte: same
data, same session); a difference stops the run. `--statements` counts the database's committed
transactions over 500 sequential GETs of each page (each statement outside a transaction commits
one), per GET.

  swift build -c release --product meridian
  scripts/bench-web.py --bin .build/release/meridian [--exchanges 50] [--duration 20] [--connections 1,4,16]
  scripts/bench-web.py --bin before/meridian --bin after/meridian --rounds 2 --duration 10 --connections 1
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

def load():
    return " ".join(open("/proc/loadavg").read().split()[:3])

def serve(binary, port, env, log):
    """Starts `meridian serve` and waits until it is ready."""
    server = subprocess.Popen([binary, "serve", "--port", str(port), "--rate-limit", "1000000"], env=env,
                              stdout=subprocess.DEVNULL, stderr=open(log, "a"))
    for _ in range(300):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port); c.request("GET", "/readyz")
            if c.getresponse().status == 200: return server
        except OSError: pass
        time.sleep(0.1)
    server.terminate(); server.wait()
    sys.exit(f"bench-web: {binary} serve did not become ready; its log ends:\n" + "".join(open(log).readlines()[-10:]))

def get(port, path, cookie):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", path, headers={"Cookie": cookie})
    answer = connection.getresponse()
    return answer.status, answer.read()

def statements_per_get(m, port, path, cookie, count=500):
    """Committed transactions of the database over `count` sequential GETs of `path`, per GET."""
    url = m("db", "url").strip()
    query = "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
    read = lambda: int(subprocess.run(["psql", "-XAtq", url, "-c", query], check=True, capture_output=True, text=True).stdout)
    time.sleep(11); before = read()  # backends flush their statistics when idle 10 s
    connection = http.client.HTTPConnection("127.0.0.1", port)
    for _ in range(count):
        connection.request("GET", path, headers={"Cookie": cookie})
        answer = connection.getresponse(); answer.read()
        if answer.status != 200: sys.exit(f"GET {path} failed: {answer.status}")
    time.sleep(11)
    return (read() - before - 1) / count  # less the two reads' own transactions

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", action="append", help="a meridian binary; repeat to measure several side by side")
    parser.add_argument("--exchanges", type=int, default=50)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", default="1,4,16")
    parser.add_argument("--rounds", type=int, default=1, help="how many times each binary is measured, in turn")
    parser.add_argument("--port", type=int, default=18091)
    parser.add_argument("--exchange-page", action="store_true", help="also measure GET /exchanges/{id} (one exchange)")
    parser.add_argument("--statements", action="store_true", help="count the statements each page makes")
    parser.add_argument("--compare", action="store_true", help="also time the API reads the page makes, and the sign-in page")
    args = parser.parse_args()
    binaries = args.bin or [".build/release/meridian"]
    if not shutil.which("wrk"):
        sys.exit("bench-web: wrk is missing (apt-get install wrk)")

    work = tempfile.mkdtemp(prefix="meridian-bench-web-")
    os.chmod(work, 0o755)
    env = dict(os.environ, MERIDIAN_DATA_DIR=f"{work}/pg", XDG_CONFIG_HOME=f"{work}/config")
    env.pop("MERIDIAN_TOKEN", None); env.pop("MERIDIAN_DATABASE_URL", None)
    m = lambda *a, **k: run(binaries[0], *a, env=env, **k)
    server = None
    try:
        m("db", "start"); m("workflow", "deploy", "Workflows/knowledge-exchange.xml", "Workflows/grant.xml")
        admin = m("user", "add", "ada", "--name", "Ada", "--role", "admin").strip().splitlines()[-1]
        env["MERIDIAN_TOKEN"] = admin
        m("kb", "seed")
        m("user", "add", "amani", "--name", "Amani", "--role", "official", "--country", "COD")
        official = m("token", "create", "--user", "amani").strip().splitlines()[-1]
        del env["MERIDIAN_TOKEN"]
        server = serve(binaries[0], args.port, env, f"{work}/serve.log")

        connection = http.client.HTTPConnection("127.0.0.1", args.port)
        headers = {"Authorization": f"Bearer {official}", "Content-Type": "application/json"}
        newest = None
        for index in range(args.exchanges):
            body = json.dumps({"country": "COD", "country_name": "DR Congo", "region": "sub-saharan-africa", "income_group": "low",
                               "development_goal": f"Lasting peace in the east, district {index + 1}",
                               "institutional_challenge": "Reintegrating ex-combatants", "change_objective": "A community-based programme",
                               "sectors": ["demobilisation-reintegration"], "instruments": ["study-visit"],
                               "indicators": [{"name": "Livelihoods", "unit": "%", "baseline": 12, "target": 40}]})
            connection.request("POST", "/api/v1/exchanges", body, headers)
            answer = connection.getresponse(); payload = answer.read()
            if answer.status != 201: sys.exit(f"loading failed at {index}: {answer.status} {payload[:200]!r}")
            newest = json.loads(payload)["exchange_id"]

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
        server.terminate(); server.wait(); server = None

        pages = [("/exchanges", f"my exchanges, {args.exchanges} exchanges")]
        if args.exchange_page: pages.append((f"/exchanges/{newest}", "one exchange"))
        script = f"{work}/done.lua"
        with open(script, "w") as f: f.write(DONE)
        served = {}
        print(f"load average before: {load()}")
        for round in range(args.rounds):
            for number, binary in enumerate(binaries):
                server = serve(binary, args.port, env, f"{work}/serve.log")
                for path, what in pages:
                    status, html = get(args.port, path, cookie)
                    if status != 200: sys.exit(f"bench-web: {binary} answered {status} for {path}")
                    if path == "/exchanges":
                        rows = html.count(b'<a href="/exchanges/') - html.count(b'<a href="/exchanges/new"')
                        if rows != args.exchanges: sys.exit(f"bench-web: the page lists {rows} exchanges, not {args.exchanges}")
                    if path in served and served[path][1] != html:
                        with open(f"/tmp/bench-web-{number}.html", "wb") as f: f.write(html)
                        with open("/tmp/bench-web-first.html", "wb") as f: f.write(served[path][1])
                        sys.exit(f"bench-web: {binary} serves a different {path} than {served[path][0]} "
                                 "(kept in /tmp/bench-web-first.html and /tmp/bench-web-N.html)")
                    served.setdefault(path, (binary, html))
                    if round == 0:
                        print(f"[{number}] {binary}: GET {path} {status}, {len(html)} bytes"
                              + (f", {args.exchanges} exchanges listed" if path == "/exchanges" else ""))
                    if args.statements and round == 0:
                        print(f"[{number}] statements per GET {path}: {statements_per_get(m, args.port, path, cookie):.2f}")
                    for connections in [int(c) for c in args.connections.split(",")]:
                        out = subprocess.run(["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{args.duration}s", "-s", script,
                                              "-H", f"Cookie: {cookie}", f"http://127.0.0.1:{args.port}{path}"],
                                             capture_output=True, text=True).stdout
                        rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
                        summary = out.strip().splitlines()[-1]
                        print(f"== [{number}] GET {path} ({what}), {connections} connection(s), {args.duration} s: "
                              f"{float(rate.group(1)) if rate else 0:.0f} requests/s; {summary}; load {load()}")
                if args.compare and round == 0:
                    # Where the time goes: the JSON API's reads that the page makes, at one connection.
                    for path in ("/api/v1/exchanges?limit=200", "/api/v1/inbox", "/sign-in"):
                        auth = [] if path == "/sign-in" else ["-H", f"Authorization: Bearer {official}"]
                        out = subprocess.run(["wrk", "-t1", "-c1", f"-d{args.duration}s", "-s", script, *auth, f"http://127.0.0.1:{args.port}{path}"],
                                             capture_output=True, text=True).stdout
                        print(f"== [{number}] GET {path}, 1 connection, {args.duration} s: {out.strip().splitlines()[-1]}")
                server.terminate(); server.wait(); server = None
        print(f"load average after: {load()}")
    finally:
        if server: server.terminate(); server.wait()
        subprocess.run([binaries[0], "db", "stop"], env=env, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
