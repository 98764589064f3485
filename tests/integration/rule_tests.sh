# `textmill test`: a failing case prints what is missing, unwanted and extra.
. "$(dirname "$0")/lib.bash"
SRC=$TM_SOURCE_DIR

cat >"$WORK/fail.test.yaml" <<EOF2
script: $SRC/docs/examples/lua/dates.lua
cases:
  - name: passes
    text: "Ngày 2/12/2021"
    expect: [{type: DATE, value: "2021-12-02"}]
  - name: fails three ways
    text: "Ngày 2/12/2021 và năm 2022"
    expect: [{type: DATE, text: "2/12", value: "2021-12-02"}]
    absent: [{type: DATE, text: "2/12/2021"}]
    only: true
EOF2
run_tm 1 test "$WORK/fail.test.yaml"
expect_out "fail.test.yaml:6:5: fails three ways"
expect_out 'missing   {type: DATE, text: "2/12", value: "2021-12-02"}'
expect_out 'unwanted  DATE "2/12/2021" 7..15 value "2021-12-02"'
expect_out 'extra     DATE "2022" 26..29 value "2022"'
expect_out "2 cases in 1 file: 1 passed, 1 failed"

printf 'cases: []\n' >"$WORK/broken.test.yaml"
run_tm 2 test "$WORK/broken.test.yaml"
expect_out "names one \`script:\` or one \`config:\`"

# A config's stages can be tested too.
cat >"$WORK/pipe.yaml" <<EOF2
stages:
  - {type: extract.regex, pattern: '\\d+', entity: NUMBER}
EOF2
cat >"$WORK/pipe.test.yaml" <<EOF2
config: pipe.yaml
cases:
  - {text: "có 16 tập thể và 48 cá nhân", expect: [{type: NUMBER, text: "16"}, {type: NUMBER, text: "48"}], only: true}
EOF2
run_tm 0 test "$WORK/pipe.test.yaml"
expect_out "1 case in 1 file: 1 passed, 0 failed"
echo ok
