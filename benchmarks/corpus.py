"""Benchmark inputs: a clone of a corpus bundle, or a generated Spryker-like history of the same size."""

from __future__ import annotations

import os
import random
import subprocess

GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid"}


def prepare_corpus(bundle: str, work: str) -> str:
    repo = os.path.join(work, "corpus")
    subprocess.run(["git", "clone", "-q", bundle, repo], check=True)
    return repo


def _schema(module: str, tables: int, rng: random.Random, revision: int) -> str:
    parts = [f'<?xml version="1.0"?>\n<database xmlns="spryker:schema-01" name="zed" '
             f'namespace="Orm\\Zed\\{module}\\Persistence" package="src.Orm.Zed.{module}.Persistence">']
    for t in range(tables):
        name = f"spy_{module.lower()}_{t}"
        parts.append(f'  <table name="{name}" idMethod="native">')
        parts.append(f'    <column name="id_{module.lower()}_{t}" type="INTEGER" autoIncrement="true" primaryKey="true"/>')
        for c in range(rng.randint(4, 14)):
            kind = rng.choice(['type="VARCHAR" size="255"', 'type="INTEGER"', 'type="BOOLEAN" default="false"',
                               'type="TIMESTAMP"', 'type="ENUM" valueSet="a, b, c"', 'type="LONGVARCHAR"'])
            required = ' required="true"' if c % 3 == 0 else ""
            parts.append(f'    <column name="col_{c}" {kind}{required}/>')
        if revision and t == 0:
            parts.append(f'    <column name="added_in_{revision}" type="VARCHAR" size="64"/>')
        parts.append(f'    <unique name="{name}-unique-col_0"><unique-column name="col_0"/></unique>')
        parts.append('    <behavior name="timestampable"/>')
        parts.append(f'    <id-method-parameter value="{name}_pk_seq"/>')
        parts.append("  </table>")
    parts.append("</database>\n")
    return "\n".join(parts)


def generated_history(work: str, files: int = 418, commits: int = 2, seed: int = 7) -> str:
    """A repository with `files` core schema files (Bundles/ layout) and `commits` commits, each
    touching one file. Shapes follow real Spryker schemas; the content is synthetic."""
    repo = os.path.join(work, "generated")
    os.makedirs(repo)
    subprocess.run(["git", "init", "-q", repo], check=True)
    rng = random.Random(seed)
    modules = [f"Module{i}" for i in range(files)]
    for revision in range(commits):
        touched = modules if revision == 0 else [modules[revision % len(modules)]]
        for module in touched:
            folder = os.path.join(repo, "Bundles", module, "src", "Spryker", "Zed", module, "Persistence", "Propel", "Schema")
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, f"spy_{module.lower()}.schema.xml"), "w") as handle:
                handle.write(_schema(module, 1 + rng.randint(0, 2), random.Random(module), revision))
        subprocess.run(["git", "-C", repo, "add", "-A"], check=True)
        subprocess.run(["git", "-C", repo, "commit", "-qm", f"revision {revision}"], check=True, env=GIT_ENV)
    return repo
