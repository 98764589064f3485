#!/usr/bin/env python3
"""Run the shell blocks of README.md and docs/*.md, as a reader would.

    blocks.py --source SRC --build BUILD [--list] [FILE.md ...]

Every ```sh block runs, in the order of its file, in a scratch copy of the
source tree where `build` is the build folder, `textmill` is on PATH, HOME
is empty and the main job has already run (as ./setup.sh leaves things).
The blocks of one file share that copy, so a later block may read what an
earlier one wrote.

What a block claims is checked:
- a comment line right under a command (no blank line between) is output
  that command prints: it must appear in its stdout or stderr, where `…`
  or `...` stands for any text;
- `echo $?  # N: …` claims the status of the command before it; a command
  may fail only when a claimed output or such an `echo $?` follows it;
  every other command must exit 0.

A block that cannot run here says why on the line before it:
    <!-- doc-test: skip: needs a Slurm cluster -->

The ```sql blocks under a <!-- test: ... --> line run against out/articles.db, the database
of the main job, as a reader would run them after ./setup.sh: each must
run and return a row, unless its <!-- test: ... --> line says `main=empty`
(a query about what the main job's settings never write, such as marked
duplicates). plugins/output/tests/querying.sh checks their results on a
database made to hold every case.
Exits 0 when every block ran as the docs say, 1 otherwise.
"""
import argparse, os, re, shutil, sqlite3, subprocess, sys, tempfile

# What the scratch copy holds: what a reader's checkout has, minus builds.
TREE = ["README.md", "CMakeLists.txt", "setup.sh", "config", "corpus", "scripts", "docs",
        "plugins", "bench", "core", "tests", "cmake", "packaging"]
SKIP = re.compile(r"<!--\s*doc-test:\s*skip:\s*(.+?)\s*-->")
STATUS = re.compile(r"^echo \$\?\s+#\s*(\d+)\b")
SQL = re.compile(r"(?:<!-- test: (.*?) -->\n)?```sql\n(.*?)```", re.S)


def blocks(path):
    """[(line, skip reason or None, [lines])] of the ```sh blocks in path."""
    out, lines = [], open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```sh":
            j = i + 1
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            k = i - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            m = SKIP.search(lines[k]) if k >= 0 else None
            out.append((i + 1, m.group(1) if m else None, lines[i + 1:j]))
            i = j
        i += 1
    return out


def complete(text):
    """Whether text is whole commands: a loop, a quote or a backslash may
    run over several lines."""
    if text.rstrip().endswith("\\"):
        return False
    return subprocess.run(["bash", "-n", "-c", text], stderr=subprocess.DEVNULL).returncode == 0


def commands(body):
    """[(text, claims, status or None)]: commands with what the doc says they print."""
    cmds, cur, after_cmd = [], None, False
    for line in body:
        s = line.strip()
        if cur is not None and not complete(cur[0]):
            cur[0] += "\n" + line
            continue
        if not s:
            after_cmd = False
            continue
        if s.startswith("#"):
            if after_cmd and cur is not None:
                cur[1].append(s[1:].strip())
            continue
        m = STATUS.match(s)
        if m and cmds:
            cmds[-1][2] = int(m.group(1))
        cur = [line, [], None]
        cmds.append(cur)
        after_cmd = True
    return cmds


def claim_regex(claim):
    parts = re.split(r"\s*(?:…|\.\.\.)\s*", claim)
    return re.compile(r".*?".join(re.escape(p) for p in parts), re.S)


def sql_blocks(path, tree, rel):
    """Errors of the page's ```sql blocks on the main job's database."""
    doc, errors = open(path, encoding="utf-8").read(), []
    found = [m for m in SQL.finditer(doc) if m.group(1) is not None]
    if not found:
        return 0, errors
    db = sqlite3.connect(os.path.join(tree, "out", "articles.db"))
    for m in found:
        where = f"{rel}:{doc.count(chr(10), 0, m.start(2))}"
        try:
            rows = db.execute(m.group(2)).fetchall()
        except sqlite3.Error as e:
            errors.append(f"{where}: the query fails on the main job's database: {e}")
            continue
        empty = "main=empty" in (m.group(1) or "")
        if bool(rows) == empty:
            errors.append(f"{where}: the query gives {len(rows)} rows on the main job's database"
                          + ("; its test line says main=empty" if empty else ""))
    db.close()
    return len(found), errors


def sandbox(src, build, work):
    tree = os.path.join(work, "src")
    os.makedirs(tree)
    for name in TREE:
        p = os.path.join(src, name)
        if os.path.isdir(p):
            shutil.copytree(p, os.path.join(tree, name), symlinks=True)
        elif os.path.exists(p):
            shutil.copy2(p, tree)
    os.symlink(build, os.path.join(tree, "build"))
    shared = os.path.join(src, "..", "shared")
    if os.path.isdir(shared):
        os.symlink(os.path.abspath(shared), os.path.join(work, "shared"))
    os.makedirs(os.path.join(work, "bin"))
    os.makedirs(os.path.join(work, "home"))
    os.symlink(os.path.join(build, "textmill"), os.path.join(work, "bin", "textmill"))
    env = dict(os.environ, HOME=os.path.join(work, "home"),
               PATH=os.path.join(work, "bin") + os.pathsep + os.environ.get("PATH", ""))
    env.pop("CDPATH", None)
    # A sanitizer build installs an instrumented toolkit and harness: what a
    # block compiles against them is built as a sanitizer build would be.
    ldd = subprocess.run(["ldd", os.path.join(build, "textmill")], capture_output=True, text=True).stdout
    if "libasan" in ldd:
        env["CFLAGS"] = env["LDFLAGS"] = "-fsanitize=address,undefined"
    subprocess.run([os.path.join(build, "textmill"), "run", "config/default.yaml", "-q"],
                   cwd=tree, env=env, check=True)
    return tree, env


def run_file(path, src, build, rel):
    found = blocks(path)
    if not found and "<!-- test: " not in open(path, encoding="utf-8").read():
        return 0, [], []
    work = tempfile.mkdtemp(prefix="doc-test-")
    errors, ran, skipped = [], 0, []
    try:
        tree, env = sandbox(src, build, work)
        ran, errors = sql_blocks(path, tree, rel)
        for line, reason, body in found:
            where = f"{rel}:{line}"
            if reason:
                skipped.append(f"{where}: skipped: {reason}")
                continue
            ran += 1
            cmds = commands(body)
            script = ["set +e", 'T="$1"']
            for n, (text, _, _) in enumerate(cmds):
                script.append(f'{{ {text}\n}} >"$T/out.{n}" 2>&1; echo $? >"$T/rc.{n}"')
                script.append(f'(exit "$(cat "$T/rc.{n}")")')
            logs = os.path.join(work, "logs")
            shutil.rmtree(logs, ignore_errors=True)
            os.makedirs(logs)
            p = subprocess.run(["bash", "-c", "\n".join(script), "doc-test", logs], cwd=tree,
                               env=env, stdin=subprocess.DEVNULL, timeout=600)
            if p.returncode not in (0, 1) and not os.path.exists(os.path.join(logs, f"rc.{len(cmds) - 1}")):
                errors.append(f"{where}: the block stopped early (status {p.returncode})")
                continue
            for n, (text, claims, status) in enumerate(cmds):
                first = text.split("\n")[0].strip()
                try:
                    out = open(os.path.join(logs, f"out.{n}"), encoding="utf-8", errors="replace").read()
                    rc = int(open(os.path.join(logs, f"rc.{n}")).read())
                except FileNotFoundError:
                    errors.append(f"{where}: `{first}` did not run")
                    break
                for c in claims:
                    if not claim_regex(c).search(out):
                        errors.append(f"{where}: `{first}` should print\n    {c}\n  but printed\n"
                                      + "".join("    " + l + "\n" for l in out.splitlines()[:8]))
                if status is not None and rc != status:
                    errors.append(f"{where}: `{first}` exited {rc}; the doc says {status}")
                elif status is None and not claims and rc != 0:
                    errors.append(f"{where}: `{first}` exited {rc}:\n"
                                  + "".join("    " + l + "\n" for l in out.splitlines()[-8:]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return ran, errors, skipped


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--list", action="store_true", help="list the blocks, run nothing")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    src, build = os.path.abspath(a.source), os.path.abspath(a.build)
    files = a.files or ["README.md"] + sorted(
        os.path.join("docs", f) for f in os.listdir(os.path.join(src, "docs")) if f.endswith(".md"))
    if a.list:
        for f in files:
            for line, reason, body in blocks(os.path.join(src, f)):
                print(f"{f}:{line}: {'skip: ' + reason if reason else len(commands(body))} ")
        return 0
    total, failures = 0, []
    for f in files:
        ran, errors, skipped = run_file(os.path.join(src, f), src, build, f)
        total += ran
        failures += errors
        for s in skipped:
            print(s)
    for e in failures:
        print("FAIL " + e, file=sys.stderr)
    print(f"{total} shell and SQL blocks run, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
