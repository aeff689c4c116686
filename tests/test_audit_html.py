"""`audit --format html` in a real browser: headless Chromium (Debian's `chromium`) loads the report made
from a real temporary git history, runs its script, and the rendered DOM is compared with the JSON audit of
the same history: one timeline mark per commit with findings, one table row per finding, tags marked where
the repository has them, filters from the address, the summary, the per-table history, and hostile table
names and commit subjects shown as text, never run. A screenshot must not be blank.

Without /usr/bin/chromium these tests skip, unless COMPATLINT_REQUIRE_BROWSER=1 (set by .ci/run, which
installs it), which makes them fail instead.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from cli_runner import cli
from test_audit import ALICE, BOB, CAROL, DAVE, LOYALTY, REWARD, column, commit, loyalty, reward, schema, table

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         "--force-device-scale-factor=1"]

HOSTILE_TABLE = "pyz_<script>window.top.pwned=1</script>"
HOSTILE_SUBJECT = ("<script>document.body.setAttribute('data-pwned','subject')</script>"
                   "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\"> drop <!-- c --> it")
EVIL = "src/Pyz/Zed/Evil/Persistence/Propel/Schema/pyz_evil.schema.xml"


@pytest.fixture(scope="module")
def chromium():
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("COMPATLINT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and COMPATLINT_REQUIRE_BROWSER=1 (apt-get install -y chromium)")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    return CHROMIUM


def browse(chromium: str, tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    profile.mkdir()
    return subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *args, url],
                          capture_output=True, text=True, timeout=90, check=True)


def dom(chromium: str, tmp_path: Path, report: Path, fragment: str = ""):
    done = browse(chromium, tmp_path, report.as_uri() + fragment, "--dump-dom")
    page = lxml_html.fromstring(done.stdout)
    assert page.get("data-rendered") == "true" or page.find("body").get("data-rendered") == "true", \
        "the report's script did not finish"
    return page


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.fixture
def history(make_repo):
    """v1 (tag v1.0), a column drop, a commit without finding (tag v1.1), a table with a hostile name added and
    then dropped by a commit with a hostile subject, a reward title drop (tag v2.0)."""
    repo = make_repo("shop")
    repo.write(LOYALTY, loyalty())
    repo.write(REWARD, reward())
    commit(repo, "v1", ALICE, "2024-01-02T09:00:00+01:00")
    repo.git("tag", "v1.0")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(LOYALTY, loyalty(drop=("legacy_code",)))
    commit(repo, "Drop legacy_code", BOB, "2024-02-01T10:30:00+01:00")
    evil = schema("Evil", table(escaped(HOSTILE_TABLE), column("id_evil", primaryKey="true"), column("note")))
    repo.write(EVIL, evil)
    commit(repo, "Add the evil table", CAROL, "2024-02-02T10:30:00+01:00")
    repo.git("tag", "-a", "-m", "release 1.1", "v1.1")
    repo.write(EVIL, evil.replace(column("note"), ""))
    commit(repo, HOSTILE_SUBJECT, DAVE, "2024-02-03T10:30:00+01:00")
    repo.write(REWARD, reward(title=False))
    commit(repo, "Drop reward title", ALICE, "2024-03-01T10:30:00+01:00")
    repo.git("tag", "v2.0")
    return repo


def audit_both(repo, tmp_path: Path) -> tuple[dict, Path]:
    payload = cli(repo.path, "audit", "--format", "json").json()
    report = tmp_path / "report.html"
    run = cli(repo.path, "audit", "--format", "html", "-o", str(report))
    assert run.exit_code == 1, run
    assert run.stdout == "" and run.stderr == ""
    return payload, report


def test_the_rendered_report_matches_the_json_audit(history, tmp_path, chromium):
    payload, report = audit_both(history, tmp_path)
    page = dom(chromium, tmp_path, report)

    # one timeline mark per commit that has findings, in the audit's order
    marks = page.xpath("//*[@id='timeline']//*[local-name()='g'][contains(concat(' ', @class, ' '), ' mark ')]")
    assert [m.get("data-sha") for m in marks] == [entry["sha"] for entry in payload["commits"]]
    assert [int(m.get("data-findings")) for m in marks] == [len(entry["findings"]) for entry in payload["commits"]]
    assert len(marks) == 3
    # each mark's segments add up to its findings, coloured by family
    for mark, entry in zip(marks, payload["commits"]):
        segments = mark.xpath("./*[local-name()='rect']")
        assert sum(int(r.get("data-count")) for r in segments) == len(entry["findings"])
        assert {r.get("data-family") for r in segments} <= {"drops", "types", "keys", "renames", "SQL", "transfers",
                                                             "schema files", "other"}
    # tags on commits of the range (v1.0 is the range's base, outside it)
    assert [g.get("data-tag") for g in page.xpath("//*[local-name()='g'][@class='tag']")] == ["v1.1", "v2.0"]

    # one table row per finding, in the JSON's order, with commit, author, date, file:line, code and message
    rows = page.xpath("//table[@id='findings']/tbody/tr[@class='finding']")
    expected = [(entry["sha"], f["code"], f["table"] or "", f["column"] or "", f["path"] or "", str(f["line"] or ""))
                for entry in payload["commits"] for f in entry["findings"]]
    assert [(r.get("data-sha"), r.get("data-code"), r.get("data-table"), r.get("data-column"), r.get("data-path"),
             r.get("data-line")) for r in rows] == expected
    first, finding = rows[0], payload["commits"][0]["findings"][0]
    text = first.text_content()
    assert payload["commits"][0]["author"] in text and payload["commits"][0]["date"][:10] in text
    assert finding["message"] in text and "safe path: " + finding["safe_path"] in text
    assert f"{finding['path'].rsplit('/', 1)[-1]}:{finding['line']}" in text
    # the code links to its embedded `explain` text
    [link] = first.xpath(".//a[starts-with(@href, '#rule-')]")
    [rule] = page.xpath(f"//details[@id='rule-{finding['code']}']")
    assert link.get("href") == f"#rule-{finding['code']}"
    assert cli(history.path, "explain", finding["code"]).stdout.strip() == rule.xpath("./pre")[0].text_content().strip()

    # the summary a lead reads first
    errors = payload["summary"]["error"]
    assert page.xpath("//*[@id='count-breaking']/*[@class='number']")[0].text_content() == str(errors)
    assert page.xpath("//*[@id='headline']")[0].text_content().startswith(f"{errors} breaking change")

    # per-table history: the hostile table was added, then lost a column, in that order
    [evil] = [d for d in page.xpath("//details[@class='table-history']") if d.get("data-table") == HOSTILE_TABLE]
    entries = evil.xpath("./ol/li")
    assert [li.xpath("./em")[0].text_content() for li in entries] == ["Add the evil table", HOSTILE_SUBJECT]
    assert "table added" in entries[0].text_content() and "column removed: note" in entries[1].text_content()


def test_hostile_table_names_and_subjects_are_text_not_markup(history, tmp_path, chromium):
    _, report = audit_both(history, tmp_path)
    raw = report.read_text(encoding="utf-8")
    # in the file: only the report's own two script elements, and no comment opened by the data
    assert len(re.findall(r"</script", raw, flags=re.I)) == 2 and "<!--" not in raw

    page = dom(chromium, tmp_path, report)

    body = page.find("body")
    assert body.get("data-pwned") is None
    assert len(page.xpath("//script")) == 2 and not page.xpath("//img")
    subjects = [div.text_content() for div in page.xpath("//tr[@class='finding']/td[1]/div[@class='subject']")]
    assert HOSTILE_SUBJECT in subjects
    assert HOSTILE_TABLE + ".note" in [td.text_content() for td in page.xpath("//tr[@class='finding']/td[5]")]
    # the title (written by Python) is escaped too
    assert page.xpath("//title")[0].text_content().startswith("compatlint audit ")


def test_filters_and_sort_order_from_the_address(history, tmp_path, chromium):
    payload, report = audit_both(history, tmp_path)
    every = [(e["sha"], f["code"], f["table"]) for e in payload["commits"] for f in e["findings"]]

    page = dom(chromium, tmp_path, report, "#code=CL102&sort=table&desc=1")

    rows = [(r.get("data-sha"), r.get("data-code"), r.get("data-table"))
            for r in page.xpath("//tr[@class='finding']")]
    assert rows == sorted([row for row in every if row[1] == "CL102"], key=lambda row: row[2], reverse=True)
    assert len(rows) >= 2
    assert page.xpath("//*[@id='shown']")[0].text_content() == f"showing {len(rows)} of {len(every)}"
    assert page.xpath("//th[@data-column='table']")[0].get("class").split() == ["sortable", "sorted-desc"]

    reward_commit = payload["commits"][-1]["sha"]
    page = dom(chromium, tmp_path, report, f"#commit={reward_commit}&path=Reward")
    assert [r.get("data-table") for r in page.xpath("//tr[@class='finding']")] == ["pyz_reward"]
    assert "selected" in page.xpath(f"//*[local-name()='g'][@data-sha='{reward_commit}']")[0].get("class")


def test_screenshot_is_not_blank(history, tmp_path, chromium):
    from PIL import Image, ImageStat

    _, report = audit_both(history, tmp_path)
    png = tmp_path / "report.png"
    browse(chromium, tmp_path, report.as_uri(), "--window-size=1200,900", f"--screenshot={png}")

    with Image.open(png) as image:
        assert image.size == (1200, 900)
        rgb = image.convert("RGB")
        grey = ImageStat.Stat(rgb.convert("L"))
        assert grey.stddev[0] > 20, grey.stddev  # a blank or single-colour page has (almost) none
        colours = rgb.getcolors(maxcolors=1 << 20)
    assert len(colours) > 50
    # the timeline's bars are drawn: the "drops" colour covers a visible area
    drops = sum(count for count, (r, g, b) in colours if abs(r - 0xD1) < 8 and abs(g - 0x49) < 8 and abs(b - 0x5B) < 8)
    assert drops > 500, drops


def test_a_range_without_findings_renders_an_empty_report(history, tmp_path, chromium):
    report = tmp_path / "empty.html"
    head = history.rev("HEAD")
    run = cli(history.path, "audit", f"{head}..{head}", "--format", "html", "-o", str(report))
    assert run.exit_code == 0, run

    page = dom(chromium, tmp_path, report)

    assert not page.xpath("//*[local-name()='g'][contains(@class, 'mark')]")
    assert page.xpath("//*[@id='headline']")[0].text_content().startswith("No breaking change")
    assert [td.text_content() for td in page.xpath("//table[@id='findings']/tbody/tr/td")] == ["No findings in this range."]
