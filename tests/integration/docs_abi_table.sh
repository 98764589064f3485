# docs/writing-plugins.md's table of functions names every TM_API function
# of the plugin headers, with the signature the header gives, so a new
# function cannot be left out of the docs.
. "$(dirname "$0")/lib.bash"
python3 - "$TM_SOURCE_DIR" <<'PY'
import re, sys
src = sys.argv[1]
doc = open(f"{src}/docs/writing-plugins.md", encoding="utf-8").read()
table = doc[doc.index("### Every function, in one table"):]
table = table[:table.index("\n## ")]
rows = {}
for sig in re.findall(r"^\| `([^`]+)` \|", table, re.M):
    rows[re.search(r"(\w+)\(", sig).group(1)] = " ".join(sig.split())
missing, differ = [], []
for h in ["textmill.h", "document.h", "stage.h"]:
    text = open(f"{src}/core/include/textmill/{h}", encoding="utf-8").read()
    for m in re.finditer(r"^TM_API ([^;]*?\))\s*(?:TM_PRINTF\([^)]*\))?;", text, re.M | re.S):
        sig = " ".join(m.group(1).split())
        name = re.search(r"(\w+)\(", sig).group(1)
        if name not in rows:
            missing.append(f"{h}: {sig}")
        elif rows[name] != sig:
            differ.append(f"{h}: {sig}\n   docs: {rows[name]}")
assert not missing, "functions missing from the table:\n" + "\n".join(missing)
assert not differ, "signatures that differ:\n" + "\n".join(differ)
print(f"{len(rows)} functions, all in the table")
PY
