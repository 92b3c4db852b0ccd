"""`make soak`'s checks of one phase: what the load was told (its acks), what the database holds
and what the SMTP sink received. Appends one row per check to RESULTS:
    PASS|FAIL <tab> phase <tab> check <tab> detail

    python check.py --phase NAME --out DIR --db URL --sink LOG --results FILE [options]

The database is read with the sqlite3 or psql command-line clients (URL sqlite://… or
postgres://…). Options:
    --drain S          wait up to S seconds for the outbox to be sent before checking (default 120)
    --require KINDS    journey steps that must have happened at least once (comma-separated)
    --resends-ok       a message sent twice under its own Message-ID is reported, not failed
                       (at-least-once delivery after a kill -9 between send and mark-sent)
    --fivexx-window A,B  5xx answers between epoch ms A and B are counted apart (an outage)
    --log FILE         a server log that must hold no panic (repeatable)
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time

# What each acknowledged journey step must have made the portal send, to whom.
#   kind -> [(template, recipient field)]  (field: "email" or "detail", the ack's 4th column)
EXPECTED_MAIL = {
    "individual": [("registration_received", "email")],
    "company": [("registration_received", "email")],
    "staff": [("registration_received", "email"), ("approval_needed", "detail")],
    "approved": [("approved", "email")],
    "contact": [("user_created", "email")],
    "forgot": [("forgot_login", "email")],
}
# Steps that created a login: each must be in the database afterwards.
REGISTRATIONS = ("individual", "company", "staff", "contact")


def query(db, sql):
    if db.startswith("sqlite://"):
        command = ["sqlite3", "-bail", "-separator", "\t", db[len("sqlite://"):].split("?")[0], sql]
    else:
        command = ["psql", db, "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:2])}: {done.stderr.strip()}")
    return [line.split("\t") for line in done.stdout.splitlines() if line]


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--phase", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--sink", required=True)
    p.add_argument("--results", required=True)
    p.add_argument("--drain", type=float, default=120)
    p.add_argument("--require", default="individual,company,contact,staff,approved,forgot,reset")
    p.add_argument("--resends-ok", action="store_true")
    p.add_argument("--fivexx-window", default="")
    p.add_argument("--log", action="append", default=[])
    p.add_argument("--strict", action="store_true", help="every answer must be the one the journey expects")
    a = p.parse_args()

    rows = []

    def result(ok, check, detail):
        rows.append(("PASS" if ok else "FAIL", a.phase, check, detail))

    # The load itself.
    summary_path = os.path.join(a.out, "summary.json")
    summary = json.load(open(summary_path)) if os.path.exists(summary_path) else {}
    acks = read_tsv(os.path.join(a.out, "acks.tsv"))
    by_kind = collections.Counter(r[1] for r in acks)
    missing = [k for k in a.require.split(",") if k and by_kind[k] == 0]
    steps = ", ".join(f"{k} {by_kind[k]}" for k in ["individual", "company", "contact", "staff", "approved", "forgot", "reset"])
    result(summary.get("requests", 0) > 0 and not missing,
           "journeys completed",
           f"{summary.get('requests', 0)} requests by {summary.get('users', '?')} users in {summary.get('duration_s', '?')} s; "
           f"acknowledged: {steps}" + (f"; never completed: {', '.join(missing)}" if missing else ""))

    fivexx = read_tsv(os.path.join(a.out, "fivexx.tsv"))
    if a.fivexx_window:
        start, end = (int(x) for x in a.fivexx_window.split(","))
        inside = [r for r in fivexx if start <= int(r[0]) <= end]
        outside = [r for r in fivexx if not (start <= int(r[0]) <= end)]
        statuses = collections.Counter(r[2] for r in inside)
        result(not outside, "no 5xx outside the outage",
               f"{len(outside)} outside" + (f" (first: {outside[0][1]} {outside[0][2]} ref {outside[0][3]} {outside[0][4][:120]})" if outside else "")
               + f"; during the outage: {len(inside)} " + (", ".join(f"{s}x{n}" for s, n in sorted(statuses.items())) or ""))
    else:
        first = f" (first: {fivexx[0][1]} {fivexx[0][2]} ref {fivexx[0][3]} {fivexx[0][4][:160]})" if fivexx else ""
        result(not fivexx and summary.get("server_errors", 0) == 0, "no 5xx responses",
               f"{len(fivexx)} recorded, goose counted {summary.get('server_errors', '?')}{first}")
    if a.strict:
        errors = os.path.join(a.out, "errors.log")
        first = open(errors).readline().strip()[:200] if os.path.exists(errors) else ""
        result(summary.get("failures", 1) == 0, "every answer as the journey expects",
               f"{summary.get('failures', '?')} unexpected answers or connection errors" + (f" (first: {first})" if first else ""))
    statuses = summary.get("statuses", {})
    result(True, "response statuses (goose)", ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())) or "none")
    skipped = read_tsv(os.path.join(a.out, "skipped.tsv"))
    if skipped:
        result(True, "resets skipped (no e-mail within SOAK_RESET_WAIT)", str(len(skipped)))

    # Every acknowledged registration is in the database.
    stored = {r[0].lower(): r[1] for r in query(a.db, "SELECT username, status FROM users")}
    acked = [(r[1], r[2]) for r in acks if r[1] in REGISTRATIONS]
    absent = [u for _, u in acked if u.lower() not in stored]
    result(not absent, "acknowledged registrations in the database",
           f"{len(acked) - len(absent)} of {len(acked)} present" + (f"; missing e.g. {absent[:5]}" if absent else ""))
    approved = [r[2] for r in acks if r[1] == "approved"]
    not_active = [u for u in approved if stored.get(u.lower()) != "active"]
    result(not not_active, "acknowledged approvals active in the database",
           f"{len(approved) - len(not_active)} of {len(approved)} active" + (f"; not: {not_active[:5]}" if not_active else ""))

    # The outbox drains: nothing queued or failed (waits for the dispatcher, e.g. after an outage).
    deadline = time.time() + a.drain
    while True:
        pending = query(a.db, "SELECT status, COUNT(*) FROM outbox WHERE status <> 'sent' GROUP BY status")
        if not pending or time.time() >= deadline:
            break
        time.sleep(2)
    outbox = query(a.db, "SELECT id, recipient, template, status, attempts FROM outbox")
    retried = sum(1 for r in outbox if int(r[4]) > 0)
    result(not pending, "outbox sent",
           f"{len(outbox)} messages, " + (", ".join(f"{n} {s}" for s, n in pending) if pending else "all sent")
           + f"; {retried} needed a retry")

    # Every message of the outbox reached the sink exactly once (by its Message-ID), and the sink
    # got nothing else.
    with open(a.sink, encoding="utf-8") if os.path.exists(a.sink) else open(os.devnull) as f:
        sink = [json.loads(line) for line in f if line.strip()]
    seen = collections.Counter()
    for m in sink:
        match = re.match(r"<([^@>]+)@", m["message_id"])
        seen[match.group(1) if match else m["message_id"]] += 1
    ids = {r[0] for r in outbox}
    lost = [r for r in outbox if seen[r[0]] == 0]
    resent = {i: n for i, n in seen.items() if i in ids and n > 1}
    unknown = [i for i in seen if i not in ids]
    detail = (f"{len(sink)} deliveries of {len(outbox)} messages; lost {len(lost)}, sent twice {len(resent)}, "
              f"unknown {len(unknown)}")
    if lost:
        detail += f" (lost e.g. {[(r[2], r[1], r[3]) for r in lost[:3]]})"
    ok = not lost and not unknown and (a.resends_ok or not resent)
    if resent and a.resends_ok:
        detail += " (at-least-once: the same Message-ID again after the kill, see outbox.rs)"
    result(ok, "each message delivered exactly once", detail)

    # Every acknowledged step's e-mail exists once for its recipient, and was delivered.
    by_pair = collections.defaultdict(list)
    for r in outbox:
        by_pair[(r[1].lower(), r[2])].append(r[0])
    expected = []
    for r in acks:
        for template, field in EXPECTED_MAIL.get(r[1], []):
            recipient = r[3] if field == "email" else r[4]
            expected.append((recipient.lower(), template))
    wanted = collections.Counter(expected)
    problems = []
    for (recipient, template), n in wanted.items():
        delivered = [i for i in by_pair[(recipient, template)] if seen[i] > 0]
        if len(by_pair[(recipient, template)]) != n or len(delivered) != n:
            problems.append(f"{template} to {recipient}: expected {n}, queued {len(by_pair[(recipient, template)])}, "
                            f"delivered {len(delivered)}")
    per_template = collections.Counter(t for _, t in expected)
    result(not problems, "each acknowledged step's e-mail delivered once",
           f"{len(expected)} expected (" + ", ".join(f"{t} {n}" for t, n in sorted(per_template.items())) + ")"
           + (f"; {len(problems)} wrong, e.g. {problems[:3]}" if problems else ""))

    # No panic in any server log.
    panics = []
    for log in a.log:
        if os.path.exists(log):
            with open(log, encoding="utf-8", errors="replace") as f:
                panics += [line.strip() for line in f if "panicked" in line]
    result(not panics, "no panic in the server log", f"{len(panics)}" + (f": {panics[0][:200]}" if panics else ""))

    with open(a.results, "a", encoding="utf-8") as f:
        for row in rows:
            f.write("\t".join(row) + "\n")
    for row in rows:
        print("  ".join(row), flush=True)


if __name__ == "__main__":
    sys.exit(main())
