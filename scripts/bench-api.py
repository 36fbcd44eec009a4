#!/usr/bin/env python3
"""Measures `meridian serve` with wrk on loopback (docs/benchmarks.md, "HTTP API").

Loads N exchanges (default 10,000) through the API itself, then runs wrk side by side:
  1. GET one exchange (/api/v1/exchanges/{id}) at 64 connections: requests/s and latency percentiles;
  2. a decision (POST /api/v1/exchanges/{id}/screening, each request a different submitted exchange);
and reads the server's resident memory (VmHWM and VmRSS) after each. Uses a private cluster in a
temporary folder, deleted at the end.

  swift build -c release --product meridian
  scripts/bench-api.py --bin .build/release/meridian [--exchanges 10000] [--duration 20]
  scripts/bench-api.py --bin before/meridian --bin after/meridian   # side by side, one after the other

It also counts the statements one GET makes: the database's committed transactions over 1,000
sequential GETs (each statement outside a transaction commits one), divided by 1,000.

On a shared host one binary after the other may meet different loads. With --interleave N each
binary loads its own database first, then the binaries take turns: N rounds, each running every
binary's server in turn for the GET, then each round's requests/s and percentiles (no decisions
in this mode).

  scripts/bench-api.py --bin before/meridian --bin after/meridian --interleave 3
"""
import argparse, http.client, json, os, re, shutil, subprocess, sys, tempfile, time

def run(*args, env, check=True):
    return subprocess.run(args, env=env, check=check, capture_output=True, text=True).stdout

def memory(pid):
    status = open(f"/proc/{pid}/status").read()
    grab = lambda key: int(re.search(rf"{key}:\s+(\d+) kB", status).group(1)) // 1024
    return grab("VmRSS"), grab("VmHWM")

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", action="append", help="a meridian binary; repeat to measure several side by side")
    parser.add_argument("--exchanges", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--port", type=int, default=18090)
    parser.add_argument("--interleave", type=int, default=0, help="rounds of GETs taking turns on one database")
    parser.add_argument("--serve-arg", action="append", default=[], help="an argument for `meridian serve` (repeat), e.g. --serve-arg=--view-cache-staleness=0")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of GETs, not measured, before each measured run (a server just started opens its pool's connections, and a cache fills)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench-api: wrk is missing (apt-get install wrk)")
    print(f"load average before: {open('/proc/loadavg').read().split()[:3]}")
    if args.interleave:
        return interleaved(args.bin or [".build/release/meridian"], args)
    for binary in args.bin or [".build/release/meridian"]:
        print(f"\n######## {binary}")
        measure(binary, args)
        print(f"load average after: {open('/proc/loadavg').read().split()[:3]}")

def statements_per_get(m, port, token, exchange, count=1000):
    """Committed transactions of the database over `count` sequential GETs of one exchange, per GET."""
    url = m("db", "url").strip()
    query = "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
    read = lambda: int(subprocess.run(["psql", "-XAtq", url, "-c", query], check=True, capture_output=True, text=True).stdout)
    time.sleep(11); before = read()  # backends flush their statistics when idle 10 s
    connection = http.client.HTTPConnection("127.0.0.1", port)
    for _ in range(count):
        connection.request("GET", f"/api/v1/exchanges/{exchange}", headers={"Authorization": f"Bearer {token}"})
        answer = connection.getresponse(); answer.read()
        if answer.status != 200: sys.exit(f"GET failed: {answer.status}")
    time.sleep(11)
    return (read() - before - 1) / count  # less the two reads' own transactions

def prepare(m, binary, env, work, args):
    """A cluster with the workflows, the seed knowledge base, an official and a manager, and
    --exchanges exchanges filed through the API of `binary`'s server, left running."""
    m("db", "start"); m("workflow", "deploy", "Workflows/knowledge-exchange.xml", "Workflows/grant.xml")
    admin = m("user", "add", "ada", "--name", "Ada", "--role", "admin").strip().splitlines()[-1]
    env["MERIDIAN_TOKEN"] = admin
    m("kb", "seed")
    m("user", "add", "amani", "--name", "Amani", "--role", "official", "--country", "COD")
    m("user", "add", "pat", "--name", "Pat", "--role", "program-manager")
    official = m("token", "create", "--user", "amani").strip().splitlines()[-1]
    manager = m("token", "create", "--user", "pat").strip().splitlines()[-1]
    del env["MERIDIAN_TOKEN"]
    server = serve(binary, env, args.port, work, args.serve_arg)

    body = json.dumps({"country": "COD", "country_name": "DR Congo", "region": "sub-saharan-africa", "income_group": "low", "development_goal": "Lasting peace in the east", "institutional_challenge": "Reintegrating ex-combatants",
                       "change_objective": "A community-based programme", "sectors": ["demobilisation-reintegration"],
                       "instruments": ["study-visit"], "indicators": [{"name": "Livelihoods", "unit": "%", "baseline": 12, "target": 40}]})
    headers = {"Authorization": f"Bearer {official}", "Content-Type": "application/json"}
    connection = http.client.HTTPConnection("127.0.0.1", args.port)
    ids, started = [], time.time()
    for index in range(args.exchanges):
        connection.request("POST", "/api/v1/exchanges", body, headers)
        answer = connection.getresponse(); payload = answer.read()
        if answer.status != 201: sys.exit(f"loading failed at {index}: {answer.status} {payload[:200]!r}")
        ids.append(json.loads(payload)["exchange_id"])
    print(f"loaded {len(ids)} exchanges through POST /api/v1/exchanges in {time.time() - started:.1f} s "
          f"({len(ids) / (time.time() - started):.0f}/s, one connection)")
    return official, manager, server, ids

def serve(binary, env, port, work, extra=()):
    """`meridian serve` on `port` (with `extra` arguments), once it answers /readyz."""
    server = subprocess.Popen([binary, "serve", "--port", str(port), "--rate-limit", "1000000", *extra], env=env,
                              stdout=subprocess.DEVNULL, stderr=open(f"{work}/serve.log", "a"))
    for _ in range(200):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port); c.request("GET", "/readyz")
            if c.getresponse().status == 200: break
        except OSError: pass
        time.sleep(0.1)
    return server

def get_one(args, token, exchange):
    """wrk's report of GET one exchange at --connections for --duration, after --warmup seconds of the same."""
    def wrk(seconds):
        return subprocess.run(["wrk", "-t2", f"-c{args.connections}", f"-d{seconds}s", "--latency",
                               "-H", f"Authorization: Bearer {token}", f"http://127.0.0.1:{args.port}/api/v1/exchanges/{exchange}"],
                              capture_output=True, text=True).stdout
    if args.warmup: wrk(args.warmup)
    return wrk(args.duration)

def interleaved(binaries, args):
    """The binaries take turns serving GETs, each on a database it loaded itself."""
    setups, server, results = [], None, {binary: [] for binary in binaries}
    try:
        for binary in binaries:
            work = tempfile.mkdtemp(prefix="meridian-bench-api-")
            os.chmod(work, 0o755)
            env = dict(os.environ, MERIDIAN_DATA_DIR=f"{work}/pg", XDG_CONFIG_HOME=f"{work}/config")
            env.pop("MERIDIAN_TOKEN", None); env.pop("MERIDIAN_DATABASE_URL", None)
            m = (lambda binary, env: lambda *a, **k: run(binary, *a, env=env, **k))(binary, env)
            setups.append((binary, work, env, m))
            official, _, server, ids = prepare(m, binary, env, work, args)
            one = ids[len(ids) // 2]
            print(f"{binary}: statements per GET /api/v1/exchanges/{{id}}: {statements_per_get(m, args.port, official, one):.2f}")
            server.terminate(); server.wait(); server = None
            setups[-1] += (official, one)
        for round in range(args.interleave):
            for binary, work, env, m, official, one in setups:
                server = serve(binary, env, args.port, work, args.serve_arg)
                load = open('/proc/loadavg').read().split()[0]
                out = get_one(args, official, one)
                rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
                p50, p99 = (re.search(rf"^\s+{q}%\s+(\S+)", out, re.M).group(1) for q in (50, 99))
                rss, hwm = memory(server.pid)
                results[binary].append((rate, p50, p99))
                print(f"round {round + 1} {binary}: {rate:.0f} requests/s, p50 {p50}, p99 {p99}, rss {rss} MiB (peak {hwm}), load before {load}")
                server.terminate(); server.wait(); server = None
        print(f"\n== GET /api/v1/exchanges/{{id}}, {args.connections} connections, {args.duration} s per turn, {args.interleave} rounds")
        for binary, rows in results.items():
            print(f"{binary}: " + "; ".join(f"{rate:.0f}/s p50 {p50} p99 {p99}" for rate, p50, p99 in rows))
        print(f"load average after: {open('/proc/loadavg').read().split()[:3]}")
    finally:
        if server: server.terminate(); server.wait()
        for binary, work, env, *_ in setups:
            subprocess.run([binary, "db", "stop"], env=env, capture_output=True)
            shutil.rmtree(work, ignore_errors=True)

def measure(binary, args):
    args.bin = binary

    work = tempfile.mkdtemp(prefix="meridian-bench-api-")
    os.chmod(work, 0o755)
    env = dict(os.environ, MERIDIAN_DATA_DIR=f"{work}/pg", XDG_CONFIG_HOME=f"{work}/config")
    env.pop("MERIDIAN_TOKEN", None); env.pop("MERIDIAN_DATABASE_URL", None)
    m = lambda *a, **k: run(args.bin, *a, env=env, **k)
    server = None
    try:
        official, manager, server, ids = prepare(m, args.bin, env, work, args)

        one = ids[len(ids) // 2]
        print(f"statements per GET /api/v1/exchanges/{{id}}: {statements_per_get(m, args.port, official, one):.2f}")
        out = get_one(args, official, one)
        print(f"== GET /api/v1/exchanges/{{id}}, {args.connections} connections, {args.duration} s"); print(out)
        rss, hwm = memory(server.pid); print(f"server memory after GET: rss {rss} MiB, peak {hwm} MiB")

        script = f"{work}/decide.lua"
        with open(script, "w") as f:
            f.write("ids = {" + ",".join(f'"{i}"' for i in ids) + "}\n")
            f.write("""counter = 0
request = function()
  counter = counter + 1
  local id = ids[((counter * 7919) % #ids) + 1]
  return wrk.format("POST", "/api/v1/exchanges/" .. id .. "/screening")
end
""")
        out = subprocess.run(["wrk", "-t1", "-c16", f"-d{args.duration}s", "--latency", "-s", script,
                              "-H", f"Authorization: Bearer {manager}", f"http://127.0.0.1:{args.port}"],
                             capture_output=True, text=True).stdout
        print(f"== POST /api/v1/exchanges/{{id}}/screening (a decision; repeats on one exchange answer 409), 16 connections, {args.duration} s")
        print(out)
        rss, hwm = memory(server.pid); print(f"server memory after POST: rss {rss} MiB, peak {hwm} MiB")
    finally:
        if server: server.terminate(); server.wait()
        subprocess.run([args.bin, "db", "stop"], env=env, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
