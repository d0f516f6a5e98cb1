#!/usr/bin/env python3
"""Writes the committed seed corpora (fuzz/seeds/<target>/) and the
dictionaries (fuzz/dict/<target>.dict) from the repository's own examples:
the demo's config and answers, the JSON blocks in README.md and docs/, and
the JSON Logic suites in tests/data/jsonlogic. Run from the repository
root after those change: python3 fuzz/seeds/make.py (snapshot and outbox
seeds were written once by an engine and an outbox driven through a
short journey; their formats are in src/engine/snapshot.rs and
src/transport/outbox/codec.rs)."""
import glob, hashlib, json, os, re

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.chdir(root)

def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = f"fuzz/seeds/{target}"
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(f"{d}/{name}", "wb") as f:
        f.write(data)

def compact(v):
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))

blocks = []
for md in ["README.md"] + sorted(glob.glob("docs/*.md")):
    for b in re.findall(r"```json\n(.*?)```", open(md).read(), re.S):
        for text in (b, "{" + b + "}"):  # sections are shown without braces
            try:
                blocks.append(json.loads(text))
                break
            except ValueError:
                pass

# config: the demo's, and every whole config in the docs.
write("config", open("www/pathlight/config.json").read())
for b in blocks:
    if isinstance(b, dict) and "triggers" in b:
        write("config", compact(b))
    elif isinstance(b, dict) and "answers" not in b and "batch" not in b:
        # A section shown alone (`"handoff": {...}`): inside a config.
        write("config", compact({"version": 1, "triggers": [], **b}))

# answers: slices of the demo's (the whole of it, 40 KB, would make every
# input that long and the target slow), docs examples.
answers = json.load(open("www/pathlight/answers.json"))
items = answers["answers"]
translated = [a for a in items if a.get("translations")]
for part in (items[:4], items[4:8], translated[:3]):
    write("answers", compact({**answers, "answers": part}))
for b in blocks:
    if isinstance(b, dict) and "answers" in b:
        write("answers", compact(b))

# markdown: every body in the demo, plus a few hostile ones.
bodies = set()
for a in answers["answers"]:
    bodies.add(a["body"])
    for t in a.get("translations", {}).values():
        if "body" in t:
            bodies.add(t["body"])
bodies |= {
    "- a\n  - b\n    - c\n      - d\n        - e\n          - f\n            - g\n              - h\n                - i",
    "**a *b **c *d **e *f **g *h**i*j**k*l**m*n**",
    "[x](javascript:alert(1)) [y](https://ok.example) <b>z</b> https://auto.example/p?q=1",
    "```\ncode\n```\n\n# H1\n## H2\n### H3\n\n1. one\n2) two\n\ntext  \nbreak\\\nend \\* \\_",
    "`" * 40 + "x" + "`" * 39,
}
for b in sorted(bodies):
    write("markdown", b)

# logic: [rule, data] from the suites, every fourth case of each file.
for path in sorted(glob.glob("tests/data/jsonlogic/suites/**/*.json", recursive=True)):
    cases = [c for c in json.load(open(path)) if isinstance(c, dict) and "rule" in c]
    for c in cases[::4]:
        write("logic", compact([c["rule"], c.get("data")]))

# tokenise: first byte picks the language (English, Turkish, Hebrew,
# Belarusian, Malay, Tagalog, other), the rest is text.
texts = [
    (0, "Why was my card declined? Don't re-enter it."),
    (1, "İstanbul'da IŞIK ısık çğöşü"),
    (2, "שָׁלוֹם צה\"ל עברית"),
    (3, "Ўсё добра, сям'я! Беларуская"),
    (4, "Bagaimana saya boleh membuat bayaran balik?"),
    (5, "Paano mag-order? Salamat po"),
    (6, "Café Noël straße Æsir ﬁ 東京 日本語 😀 e\u0301"),
]
for lang, text in texts:
    write("tokenise", bytes([lang]) + text.encode())
for a in answers["answers"][:10]:
    write("tokenise", bytes([0]) + a["title"].encode())

# Dictionaries: JSON syntax, then each document's own keys and values.
json_tokens = ['"{"', '"}"', '"["', '"]"', '":"', '","', '"\\""', '"true"', '"false"',
               '"null"', '"-0"', '"1e308"', '"\\\\u0000"', '"\\\\ud83d\\\\ude00"']
def keys(v, out):
    if isinstance(v, dict):
        for k, x in v.items():
            out.add(k)
            keys(x, out)
    elif isinstance(v, list):
        for x in v:
            keys(x, out)
    elif isinstance(v, str) and len(v) <= 24:
        out.add(v)
    return out

def dict_file(target, words):
    os.makedirs("fuzz/dict", exist_ok=True)
    with open(f"fuzz/dict/{target}.dict", "w") as f:
        f.write(f"# libFuzzer dictionary for the {target} target (fuzz/seeds/make.py)\n")
        f.writelines(t + "\n" for t in json_tokens)
        for w in sorted(words):
            if w and all(32 <= ord(c) < 127 and c not in '"\\' for c in w):
                f.write(f'"\\"{w}\\""\n')

config = json.load(open("www/pathlight/config.json"))
dict_file("config", keys(config, set()) | {
    "all", "any", "not", "page", "query", "hash", "referrer", "utm", "title", "dwellSeconds",
    "siteSeconds", "scrollPercent", "exitIntent", "idleSeconds", "visits", "returning",
    "pagesViewed", "sequence", "event", "visitor", "device", "language", "formErrors",
    "rageClicks", "searches", "answer", "schedule", "logic", "cooldown", "maxPerSession",
    "maxPerVisitor", "onDismiss", "priority", "quietSeconds", "maxSteps", "sessionMinutes",
    "handoff", "maxBytes", "webhook", "adapter", "analytics", "strings", "theme", "journey"})
dict_file("answers", keys(answers, set()) | {"reviewedAt", "reviewEveryDays", "expiresAt",
                                           "staleInSearch", "translations", "questions"})
ops = ("var val exists missing missing_some if ?: ! !! or and ?? == === != !== > >= < <= "
       "max min + - * / % map filter reduce all none some merge in cat substr log throw "
       "try preserve accumulator current").split()
dict_file("logic", set(ops))
dict_file("snapshot", {"version", "rev", "visitor", "id", "firstSeen", "visits", "attributes",
                       "session", "startedAt", "lastActivity", "journey", "steps", "folded",
                       "pages", "kind", "at", "path", "detail", "pageView", "click",
                       "formError", "triggers", "fired", "shown", "lastTrigger", "lastNudgeAt",
                       "perVisitor", "lastFired", "dismissedUntil", "dismissedSession",
                       "unhelpful", "handoffs", "lastSearch", "events", "props", "name",
                       "visitorId", "views", "dwellMs", "maxScroll", "errors"})
dict_file("outbox", {"version", "entries", "delivered", "key", "url", "body", "created",
                     "updated", "attempts", "nextAt", "lastError", "state", "kind", "pending",
                     "inFlight", "since", "failed", "reason", "beaconed", "lastChance"})

# snapshot: one over its bounds (more page stats and custom events than
# are kept), so libFuzzer's inputs may grow that long.
big = json.load(open(sorted(glob.glob("fuzz/seeds/snapshot/engine-*.json"))[-1]))
big["journey"]["pages"] = [{"path": f"/p{i}", "views": 1, "dwellMs": 5, "maxScroll": 0,
                            "errors": 0} for i in range(210)]
big["events"] = [{"name": f"e{i}", "at": 1_700_000_000_000 + i} for i in range(110)]
with open("fuzz/seeds/snapshot/over-the-bounds.json", "w") as f:
    f.write(compact(big))

# handoff: structured input (`arbitrary`), so seeds are bytes; a few long
# deterministic ones make long journeys from the first run on, where
# libFuzzer alone would start at a few bytes and grow slowly.
stream = b""
counter = 0
while len(stream) < 3 * 24_000:
    stream += hashlib.sha256(b"pathlight-handoff-%d" % counter).digest()
    counter += 1
for n in (600, 6_000, 24_000):
    write("handoff", stream[:n])
    stream = stream[n:]
