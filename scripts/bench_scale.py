"""scripts/bench --scale: a generated trust of N schools × P policies, built cold, unchanged, after a
one-school change and after a one-model change, with the peak memory of the whole build process tree.

Runnable alone: `.venv/bin/python scripts/bench_scale.py --root . --sizes 2,4 --policies 30`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]  # psutil ships no types
import yaml
from bench import print_rows

REPO = Path(__file__).resolve().parent.parent
TRUST = "oakfield-learning-trust"
TEMPLATE = "hillcrest-primary"  # every school is a clone of this one (it stays as the first school)
OTHER_SCHOOLS = ("oakfield-academy", "brookside-infant")  # left out: every school of the trust is alike
DAY = "2026-06-15"  # approvals of generated policies: before the build's today, so they count
WORDS_PER_PAGE = 390  # measured: a page of A4 in the PDF holds about this many generated words
GOALS = {"cold": 15 * 60.0, "unchanged": 10.0, "peak_mb": 1536.0}
# Model policies to generate, by id and title; more than these get a numbered copy of a topic.
TOPICS = [
    ("attendance-and-punctuality", "Attendance and punctuality policy", "Attendance", ["attendance"]),
    ("first-aid-and-medicines", "First aid and medicines policy", "Health and safety",
     ["supporting-medical-conditions", "health-needs"]),
    ("school-trips-and-visits", "School trips and visits policy", "Health and safety",
     ["charging-for-school-activities"]),
    ("health-and-safety", "Health and safety policy", "Health and safety", []),
    ("data-protection", "Data protection policy", "Information", ["data-protection-act-2018", "uk-gdpr"]),
    ("equality-and-diversity", "Equality and diversity policy", "Inclusion", ["equality-act-2010"]),
    ("special-educational-needs", "Special educational needs policy", "Inclusion",
     ["send-code", "children-families-act-2014"]),
    ("relationships-and-health-education", "Relationships and health education policy", "Curriculum", ["rshe"]),
    ("homework-and-home-learning", "Homework and home learning policy", "Curriculum", []),
    ("marking-and-feedback", "Marking and feedback policy", "Curriculum", []),
    ("mental-health-and-wellbeing", "Mental health and wellbeing policy", "Inclusion", ["mental-health-behaviour"]),
    ("staff-wellbeing", "Staff wellbeing policy", "Staff", []),
    ("lettings-and-use-of-premises", "Lettings and use of premises policy", "Parents and community", []),
    ("visitors-and-volunteers", "Visitors and volunteers policy", "Safeguarding", ["safer-working-practice"]),
    ("children-missing-from-school", "Children missing from school policy", "Safeguarding",
     ["children-missing-education"]),
    ("british-values-and-citizenship", "British values and citizenship policy", "Curriculum", ["british-values"]),
    ("careers-and-next-steps", "Careers and next steps policy", "Curriculum", ["careers-guidance"]),
    ("information-sharing", "Information sharing policy", "Information", ["information-sharing"]),
    ("accessibility-of-the-school", "Accessibility of the school policy", "Inclusion",
     ["equality-act-2010", "accessibility-regulations-2018"]),
    ("school-meals-and-packed-lunches", "School meals and packed lunches policy", "Parents and community", []),
    ("uniform-and-appearance", "Uniform and appearance policy", "Parents and community", ["cost-of-school-uniforms"]),
    ("pupil-premium-spending", "Pupil premium spending policy", "Governance", ["pupil-premium"]),
    ("governors-allowances", "Governors' allowances policy", "Governance", ["governance-academy"]),
    ("sport-and-physical-activity", "Sport and physical activity policy", "Curriculum", ["pe-sport-premium"]),
    ("early-years-foundation-stage", "Early years foundation stage policy", "Curriculum", ["childcare-act-2006"]),
]
SUBJECTS = ["Every member of staff", "The headteacher", "Class teachers", "The governing body", "Parents and carers",
            "Pupils", "The senior leadership team", "Visitors to the school", "Teaching assistants", "Office staff",
            "The lead for this policy", "Lunchtime supervisors"]
VERBS = ["will make sure that", "should check that", "must agree that", "will write down how", "can explain why",
         "will look again at whether", "should talk to each other when", "must tell the school office if",
         "can help us see whether", "may be asked to show that"]
OBJECTS = ["the arrangements in this policy are followed", "pupils know whom to ask for help",
           "records are kept safely and only as long as needed", "the plan for each class is up to date",
           "families hear from us in good time", "the same rules apply in every classroom",
           "changes are shared at the next staff briefing", "pupils with extra needs are not left out",
           "the building and grounds are safe to use", "what we promised at the last review has been done",
           "new staff learn how things work here", "any worry is passed on the same day"]
TAILS = ["each term.", "before the end of the school day.", "as soon as they reasonably can.",
         "and keep a short written note of what was decided.", "at least once a year.", "in plain words.",
         "without waiting to be asked.", "whenever something changes.", "in the way set out below.",
         "with the help of the lead for this policy."]
FACTS = [
    "At {{ school.name }} this applies to everyone, on site and on trips.",
    "Questions about it go to {{ contact(\"office\").name }} on {{ contact(\"office\").phone }}.",
    "{{ school.name }} is one of the schools of {{ trust.name }}, which sets the shared parts of this policy.",
    "You can write to the headteacher, {{ contact(\"headteacher\").name }}, at {{ contact(\"headteacher\").email }}.",
    "Where the local authority has a part to play, we work with {{ local_authority.name }}.",
    "The office is open {{ contact(\"office\").hours }}.",
]
OWNERS = ["headteacher", "senco", "office", "dsl", "chair_of_governors", "online_safety_lead"]
APPROVERS = ["full_governing_body", "headteacher", "local_governing_committee", "trust_board"]


def generated_ids(count: int) -> list[str]:
    """The ids of the first `count` generated model policies, in order."""
    return [topic_of(n)[0] for n in range(count)]


def topic_of(n: int) -> tuple[str, str, str, list[str]]:
    pid, title, category, refs = TOPICS[n % len(TOPICS)]
    if n < len(TOPICS):
        return pid, title, category, refs
    round_ = n // len(TOPICS) + 1
    return f"{pid}-{round_}", title.replace(" policy", f" policy, part {round_}"), category, refs


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"


def paragraph(rng: random.Random, facts: bool = True) -> str:
    parts = [sentence(rng) for _ in range(rng.randint(3, 6))]
    if facts and rng.random() < 0.5:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(FACTS))
    return " ".join(parts)


def section(rng: random.Random, n: int, words: int) -> str:
    """One `## ` section of about `words` words: paragraphs, sometimes a list or a sub-heading."""
    lines = [f"## Part {n}: {rng.choice(OBJECTS).capitalize()} {{#part-{n}}}", ""]
    while sum(len(line.split()) for line in lines) < words:
        roll = rng.random()
        if roll < 0.2:
            lines += [f"- {sentence(rng)[:-1]};" for _ in range(rng.randint(3, 6))] + [""]
        elif roll < 0.3:
            lines += [f"### In practice {{#part-{n}-{len(lines)}}}", ""]
        else:
            lines += [paragraph(rng), ""]
    return "\n".join(lines)


def contacts_table() -> str:
    rows = [("Headteacher", "headteacher"), ("School office", "office"), ("Lead for special needs", "senco"),
            ("Chair of governors", "chair_of_governors")]
    body = [f'| {label} | {{{{ contact("{role}").name }}}} | {{{{ contact("{role}").phone }}}} |'
            for label, role in rows]
    return "\n".join(["## Who to ask {#who-to-ask}", "", "| Role | Name | Phone |", "|---|---|---|", *body, ""])


def policy_text(n: int) -> tuple[str, str | None]:
    """A generated model policy (front matter and Markdown) and its flowchart's YAML, if it has one."""
    pid, title, category, refs = topic_of(n)
    rng = random.Random(f"policypress-scale-{n}")  # noqa: S311 — filler text; a str seed gives the same on every run
    pages = n % 8 + 1  # 1 to 8 printed pages, spread evenly over the policies
    approver, owner = APPROVERS[n % len(APPROVERS)], rng.choice(OWNERS)
    roles = sorted({"office", "headteacher", "senco", "chair_of_governors", owner})
    topic = title.split(" policy")[0].lower()
    front = {"title": title, "summary": f"How {topic} works at our school, and whom to ask.",
             "category": category, "statutory": bool(refs), "approver": approver,
             "review_cycle": ["annually", "every_2_years", "every_3_years"][n % 3], "owner": owner,
             "requires": [f"contacts.{r}" for r in roles], "references": refs, "audience": ["public", "staff"]}
    body = [f"{opening(n)} {{{{ school.name }}}}. {paragraph(rng, facts=False)}", ""]
    if refs:
        cited = ", ".join(f'{{{{ ref("{r}") }}}}' for r in refs)
        body += [f"This policy follows {cited}.", ""]
    chart = None
    if n % 4 == 0:
        chart = flowchart(pid, title)
        body += ["## What happens, step by step {#steps}", "", f"{sentence(rng)}", "",
                 f'{{{{ flowchart("{pid}") }}}}', ""]
    body += [contacts_table()]
    sections = max(1, pages * 2 - 1)
    for k in range(1, sections + 1):
        body += [section(rng, k, pages * WORDS_PER_PAGE // sections), ""]
    meta = yaml.safe_dump(front, sort_keys=False, width=1000, allow_unicode=True)
    return f"---\n{meta}---\n" + "\n".join(body), chart


def opening(n: int) -> str:
    """The policy's first sentence (a one-model change edits it)."""
    return f"This policy, number {n + 1} of our generated set, says how things are done at"


def flowchart(pid: str, title: str) -> str:
    """A small flowchart of the policy's steps, with a decision and a contact box."""
    chart = {
        "title": f"Steps of the {title[:1].lower()}{title[1:]}",
        "description": "Who does what when a question about this policy comes up, and who decides.",
        "start": "raised",
        "nodes": {"raised": {"kind": "step", "label": "Someone raises a question about this policy"},
                  "office": {"kind": "contact", "label": "Ask the school office first", "contact": "office"},
                  "answered": {"kind": "decision", "label": "Is the question answered?"},
                  "head": {"kind": "contact", "label": "The headteacher looks at it", "contact": "headteacher"},
                  "done": {"kind": "end", "label": "We note the answer for the next review"}},
        "edges": [{"from": "raised", "to": "office"}, {"from": "office", "to": "answered"},
                  {"from": "answered", "to": "done", "label": "Yes"},
                  {"from": "answered", "to": "head", "label": "No"}, {"from": "head", "to": "done"}],
    }
    return json.dumps(chart, indent=1) + "\n"  # JSON is YAML


def school_entries(ids: list[tuple[str, str]]) -> str:
    """`policies:` entries approving each (id, approver); the trust board's approvals are trust-wide."""
    lines = []
    for pid, approver in ids:
        if approver == "trust_board":
            lines.append(f"  {pid}: {{}}   # approved trust-wide")
        else:
            lines.append(f'  {pid}:\n    approvals:\n      - {{date: {DAY}, by: {approver}, version: "1.0"}}')
    return "\n".join(lines) + "\n"


def trust_entries(ids: list[tuple[str, str]]) -> str:
    return "".join(f'  {pid}:\n    approvals:\n      - {{date: {DAY}, by: trust_board, version: "1.0"}}\n'
                   for pid, approver in ids if approver == "trust_board")


def real_public_count(src: Path) -> int:
    """Public policies the template school publishes before any are generated (its real ones)."""
    shared = list((src / "content" / "policies").glob("*.md"))
    la_own = list((src / "schools" / "local-authorities" / "westmere" / "policies").glob("*.md"))
    return sum("public" in audience(path) for path in shared + la_own)


def audience(path: Path) -> list[str]:
    meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])
    return list(meta.get("audience", ["public"]))


def make_scale_trust(src: Path, dest: Path, schools: int, policies: int) -> None:
    """The example project with one trust of `schools` clones of one school, each publishing every policy:
    the example's real public policies and generated ones up to `policies` in all, each approved."""
    for name in ("content", "templates", "schools", "approvals"):
        shutil.copytree(src / name, dest / name)
    shutil.copyfile(src / "mkdocs.yml", dest / "mkdocs.yml")
    trust = dest / "schools" / TRUST
    shutil.rmtree(dest / "schools" / "riverside-academy-trust")
    for other in OTHER_SCHOOLS:
        (trust / f"{other}.yml").unlink()
        shutil.rmtree(trust / other, ignore_errors=True)
    approvals = [("charging-remissions", "full_governing_body"), ("staff-code-of-conduct", "full_governing_body")]
    for n in range(max(0, policies - real_public_count(src))):
        text, chart = policy_text(n)
        pid = topic_of(n)[0]
        (dest / "content" / "policies" / f"{pid}.md").write_text(text, encoding="utf-8")
        if chart:
            (dest / "content" / "flowcharts" / f"{pid}.yml").write_text(chart, encoding="utf-8")
        approvals.append((pid, APPROVERS[n % len(APPROVERS)]))
    add_under_policies(trust / "trust.yml", trust_entries(approvals))
    template = trust / f"{TEMPLATE}.yml"
    add_under_policies(template, school_entries(approvals))
    for n in range(2, schools + 1):
        clone_school(template, n)


def add_under_policies(path: Path, entries: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^policies:\n", lambda m: m.group(0) + entries, text, count=1, flags=re.M),
                    encoding="utf-8")


def clone_school(template: Path, n: int) -> None:
    """School n: the template with its own id, name and URN, and its own copy of its collections."""
    sid = f"scale-school-{n:03d}"
    text = re.sub(r"^id: .*$", f"id: {sid}", template.read_text(encoding="utf-8"), count=1, flags=re.M)
    text = re.sub(r"^name: (.*)$", lambda m: f"name: {m.group(1)} {n:03d}", text, count=1, flags=re.M)
    text = re.sub(r"^urn: .*$", f'urn: "97{n:04d}"', text, count=1, flags=re.M)
    (template.parent / f"{sid}.yml").write_text(text, encoding="utf-8")
    own = template.parent / TEMPLATE
    if own.is_dir():
        shutil.copytree(own, template.parent / sid)


class PeakRss:
    """Samples the resident memory of a process and all its children every 0.1 s; keeps the peak of the sum."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.peak = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        while not self.done.is_set():
            total = 0
            try:
                tree = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:  # the build has just ended
                break
            for proc in tree:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:  # a worker that ended between listing and reading
                    continue
            self.peak = max(self.peak, total)
            self.done.wait(0.1)

    def stop(self) -> int:
        self.done.set()
        self.thread.join()
        return self.peak


def build_command(dest: Path, out: Path) -> list[str]:
    """The build as a user runs it, with the JSON summary when this version of the build has one."""
    exe = REPO / ".venv" / "bin" / "policypress"
    policypress = [str(exe)] if exe.exists() else [sys.executable, "-m", "policypress"]
    command = [*policypress, "build", "--root", str(dest), "--out", str(out), "--jobs", "2"]
    helptext = subprocess.run([*policypress, "build", "--help"], capture_output=True, text=True, check=False).stdout
    return [*command, "--json"] if "--json" in helptext else command


def timed_build(command: list[str]) -> dict[str, Any]:
    """Run one build: seconds, peak RSS of its process tree (MB) and its JSON summary, if it printed one."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    rss = PeakRss(proc.pid)
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    peak = rss.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode}):\n{stderr[-3000:]}")
    return {"seconds": seconds, "peak_mb": peak / 2**20, "summary": json_summary(stdout)}


def json_summary(stdout: str) -> dict[str, Any] | None:
    """The JSON object the build printed (`--json`), from the last line that starts one; None without."""
    starts = [m.start() for m in re.finditer(r"^\{", stdout, re.M)]
    for start in reversed(starts):
        try:
            found = json.loads(stdout[start:])
        except ValueError:
            continue
        return found if isinstance(found, dict) else None
    return None


def change_one_school(dest: Path) -> str:
    """The last school's DSL gets a new name (shown on its home page and in every policy naming the DSL)."""
    path = sorted((dest / "schools" / TRUST).glob("*.yml"))[-2]  # the last school: trust.yml sorts after it
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r"(\n  dsl:\n    name: )(.*)\n", r"\1\2-Hart\n", text, count=1)
    assert changed != text, f"{path}: no DSL name to change"  # noqa: S101 — the generator wrote it
    path.write_text(changed, encoding="utf-8")
    return path.stem


def change_one_model(dest: Path) -> str:
    """The first generated model policy's first sentence, reworded: every school shows that policy."""
    pid = generated_ids(1)[0]
    path = dest / "content" / "policies" / f"{pid}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(opening(0), "This policy, the first of our generated set, sets out the way at"),
                    encoding="utf-8")
    return pid


def scale_run(dest: Path, out: Path) -> dict[str, Any]:
    """Cold, unchanged, one-school and one-model builds of the project at dest into out, each timed."""
    shutil.rmtree(out, ignore_errors=True)
    command = build_command(dest, out)
    result: dict[str, Any] = {"schools": len(list((dest / "schools" / TRUST).glob("*.yml"))) - 1}
    result["cold"] = timed_build(command)
    result["pdfs"] = len(list((out / "site").rglob("*.pdf")))
    result["pdfs_per_s"] = result["pdfs"] / result["cold"]["seconds"]
    result["unchanged"] = timed_build(command)
    result["changed_school"] = change_one_school(dest)
    result["one_school"] = timed_build(command)
    result["changed_model"] = change_one_model(dest)
    result["one_model"] = timed_build(command)
    result["peak_mb"] = max(result[k]["peak_mb"] for k in ("cold", "unchanged", "one_school", "one_model"))
    for key in ("cold", "unchanged", "one_school", "one_model"):
        print(f"bench: scale, {result['schools']} schools: {key} {result[key]['seconds']:.1f} s, "
              f"peak {result[key]['peak_mb']:.0f} MB", flush=True)
    return result


MEASURES = [("cold", "cold build"), ("unchanged", "unchanged rebuild"), ("one_school", "one school's DSL renamed"),
            ("one_model", "one model policy's sentence edited")]


def figure(result: dict[str, Any], key: str) -> float:
    return float(result[key]["seconds"] if key in dict(MEASURES) else result[key])


def size_rows(result: dict[str, Any], policies: int) -> list[tuple[str, str]]:
    label = f"scale {result['schools']} × {policies}"
    rows = [(f"{label}: PDFs built (cold)", f"{result['pdfs']}")]
    for key, words in MEASURES:
        summary = result[key]["summary"]
        extra = f" ({summary_words(summary)})" if summary else ""
        rows.append((f"{label}: {words}, --jobs 2", f"{result[key]['seconds']:.1f} s, "
                     f"peak {result[key]['peak_mb']:.0f} MB{extra}"))
    cold, schools = result["cold"]["seconds"], result["schools"]
    rows += [(f"{label}: unchanged / cold (goal ≤ 0.03)", f"{result['unchanged']['seconds'] / cold:.3f}"),
             (f"{label}: one school / cold (goal ≤ 1/N + 0.03 = {1 / schools + 0.03:.3f})",
              f"{result['one_school']['seconds'] / cold:.3f}"),
             (f"{label}: peak memory of the process tree", f"{result['peak_mb']:.0f} MB"),
             (f"{label}: PDFs per second (cold)", f"{result['pdfs_per_s']:.2f}")]
    return rows


def summary_words(summary: dict[str, Any], prefix: str = "") -> str:
    """The build's JSON summary as `key value` pairs: numbers, lists as their length, nested objects flattened."""
    parts = []
    for key, value in summary.items():
        if isinstance(value, dict):
            parts.append(summary_words(value, f"{prefix}{key} "))
        elif isinstance(value, list):
            parts.append(f"{prefix}{key} {len(value)}")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            parts.append(f"{prefix}{key} {value:g}")
    return ", ".join(p for p in parts if p)


def growth_rows(results: list[dict[str, Any]]) -> list[tuple[str, str]]:
    rows = []
    keys = [*(k for k, _ in MEASURES), "peak_mb", "pdfs_per_s"]
    for small, big in itertools.pairwise(results):
        label = f"growth {big['schools']} vs {small['schools']} schools (×{big['schools'] / small['schools']:.1f})"
        ratios = ", ".join(f"{key} ×{figure(big, key) / figure(small, key):.2f}" for key in keys)
        rows.append((label, ratios))
    return rows


def goal_rows(result: dict[str, Any]) -> list[tuple[str, str]]:
    where = f"at {result['schools']} schools" + ("" if result["schools"] >= 100 else " (the goals are for 100)")
    checks = [("cold build under 15 minutes", result["cold"]["seconds"], GOALS["cold"], "s"),
              ("unchanged rebuild under 10 s", result["unchanged"]["seconds"], GOALS["unchanged"], "s"),
              ("peak memory under 1.5 GB", result["peak_mb"], GOALS["peak_mb"], "MB")]
    return [(f"goal {where}: {text}", f"{'met' if value < goal else 'NOT met'} ({value:.1f} {unit} of {goal:g})")
            for text, value, goal, unit in checks]


def scale_bench(root: Path, tmp: Path, sizes: tuple[int, ...] = (10, 30, 100),
                policies: int = 30) -> list[tuple[str, str]]:
    """scale_run on a generated trust of each size; rows per size, growth between sizes, and the goals."""
    results, rows = [], []
    for size in sizes:
        dest, out = tmp / f"scale-{size}", tmp / f"scale-{size}-out"
        make_scale_trust(root, dest, size, policies)
        print(f"bench: scale, {size} schools × {policies} policies in {dest}", flush=True)
        results.append(scale_run(dest, out))
        rows += size_rows(results[-1], policies)
        shutil.rmtree(out)  # 100 schools' PDFs take room; the figures are kept
        shutil.rmtree(dest)
    return rows + growth_rows(results) + goal_rows(results[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--sizes", default="10,30,100", help="numbers of schools, comma-separated")
    parser.add_argument("--policies", type=int, default=30, help="public policies per school")
    args = parser.parse_args()
    sizes = tuple(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="policypress-bench-scale-") as tmpname:
        print_rows(scale_bench(args.root.resolve(), Path(tmpname), sizes, args.policies))


if __name__ == "__main__":
    main()
