# Every shell block of README.md and docs/*.md runs as a reader would run
# it, and prints what the doc says it prints (tests/docs/blocks.py says
# how a block claims output and how one that cannot run here is marked).
. "$(dirname "$0")/lib.bash"
python3 "$TM_SOURCE_DIR/tests/docs/blocks.py" --source "$TM_SOURCE_DIR" --build "$TM_BUILD_DIR"
