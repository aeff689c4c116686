"""Build a small git history from the bundled demo states, and optionally screenshot its HTML audit.

    python docs/demo_history.py TARGET                         # the repository only
    python docs/demo_history.py TARGET --screenshot docs/audit-report.png

The history replays `fixtures/demo/` as a team would have committed it: v1 (tagged v2024.01), the
expand steps of `v2-safe` one module at a time (tagged v2024.02), the contract step that drops the
column prepared for dropping (with a reviewed suppression), then the breaking `v2` changes (tagged
v2024.03). `vendor/` is not in git, as in a Spryker project: it sits in the work tree, unchanged.
The screenshot is taken with headless Chromium (`/usr/bin/chromium`) and, when Pillow is installed,
reduced to a 256-colour palette to keep the PNG small.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "demo"
CUSTOMER = "src/Pyz/Zed/Customer/Persistence/Propel/Schema/spy_customer.schema.xml"
LOYALTY = "src/Pyz/Zed/Loyalty/Persistence/Propel/Schema/pyz_loyalty.schema.xml"
TIER = "src/Pyz/Zed/LoyaltyTier/Persistence/Propel/Schema/pyz_loyalty_tier.schema.xml"

PEOPLE = {
    "alice": ("Alice Archer", "alice@shop.invalid"),
    "bob": ("Bob Builder", "bob@shop.invalid"),
    "carol": ("Carol Coder", "carol@shop.invalid"),
    "dave": ("Dave Deployer", "dave@shop.invalid"),
    "erin": ("Erin Engineer", "erin@shop.invalid"),
}


def git(repo: Path, *args: str, env: dict | None = None) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True,
                          env={**os.environ, **(env or {})})
    return done.stdout.strip()


def put(repo: Path, rel: str, text: str) -> None:
    target = repo / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def state(name: str, rel: str) -> str:
    return (DEMO / name / rel).read_text(encoding="utf-8")


def commit(repo: Path, who: str, date: str, subject: str, tag: str | None = None) -> None:
    name, mail = PEOPLE[who]
    env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": mail, "GIT_AUTHOR_DATE": date,
           "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": mail, "GIT_COMMITTER_DATE": date}
    git(repo, "add", "-A", "src")
    git(repo, "commit", "-q", "--allow-empty", "-m", subject, env=env)
    if tag:
        git(repo, "tag", tag)


def build(repo: Path) -> Path:
    """The demo history in `repo` (created; must not exist or be empty); the branch `feature` holds it all."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "compatlint demo")
    git(repo, "config", "user.email", "demo@shop.invalid")
    git(repo, "config", "commit.gpgsign", "false")
    shutil.copytree(DEMO / "v1" / "vendor", repo / "vendor")
    (repo / ".gitignore").write_text("vendor/\n", encoding="utf-8")
    for rel in (CUSTOMER, LOYALTY):
        put(repo, rel, state("v1", rel))
    git(repo, "add", ".gitignore")
    commit(repo, "alice", "2024-01-08T09:00:00+01:00", "Loyalty accounts and tiers", tag="v2024.01")
    put(repo, CUSTOMER, state("v2-safe", CUSTOMER))
    commit(repo, "bob", "2024-01-22T10:15:00+01:00", "Customer: optional loyalty level")
    put(repo, LOYALTY, state("v2-safe", LOYALTY))
    put(repo, TIER, state("v2-safe", TIER))
    commit(repo, "carol", "2024-02-05T14:30:00+01:00", "Loyalty: expand points_balance, suspended status, tiers module",
           tag="v2024.02")
    lines = state("v2-safe", LOYALTY).splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if 'name="legacy_code"' in line)
    del lines[at - 1: at + 1]  # the contract step: the lazy column and its "step 1" comment go ...
    at = next(n for n, line in enumerate(lines) if '<table name="pyz_loyalty_account"' in line)
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines.insert(at, f'{indent}<!-- compatlint: allow CL102 table="pyz_loyalty_account" '  # ... reviewed
                     'reason="lazyLoad since v2024.02, no reader left" -->\n')
    contracted = "".join(lines)
    put(repo, LOYALTY, contracted)
    commit(repo, "dave", "2024-02-19T11:00:00+01:00", "Loyalty: contract legacy_code")
    put(repo, CUSTOMER, state("v2", CUSTOMER))
    commit(repo, "erin", "2024-03-04T16:45:00+01:00", "Customer: loyalty level required")
    put(repo, LOYALTY, state("v2", LOYALTY))
    commit(repo, "bob", "2024-03-11T09:20:00+01:00", "Loyalty: rename points, reorder statuses, referral codes unique",
           tag="v2024.03")
    return repo


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--force-device-scale-factor=1"]


def screenshot(html: Path, png: Path, size: tuple[int, int] = (1280, 1040), chromium: str = "/usr/bin/chromium") -> None:
    with tempfile.TemporaryDirectory(prefix="compatlint-chromium-") as profile:
        subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}",
                        f"--screenshot={png}", html.resolve().as_uri()], check=True, capture_output=True, timeout=120)
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(png) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(png, optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, help="folder for the demo repository (must not exist)")
    parser.add_argument("--screenshot", type=Path, help="write a PNG of `audit --format html` of the history here")
    args = parser.parse_args()
    if args.target.exists() and any(args.target.iterdir()):
        parser.error(f"{args.target} exists and is not empty")
    repo = build(args.target)
    print(f"demo history in {repo}: audit it with  compatlint audit --all --repo {repo}")
    if args.screenshot:
        html = repo.parent / f"{repo.name}-audit.html"
        subprocess.run([sys.executable, "-m", "compatlint", "audit", "--all", "--format", "html", "-o", str(html),
                        "--exit-zero", "--no-progress"], cwd=repo, check=True)
        screenshot(html, args.screenshot)
        print(f"wrote {args.screenshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
