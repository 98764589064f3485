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

# A misspelt key is an error naming its place, not a case that passes.
typo_case() {
  printf 'script: %s\ncases:\n  - text: "x"\n    %s\n' "$SRC/docs/examples/lua/dates.lua" "$1" >"$WORK/typo.test.yaml"
  run_tm 2 test "$WORK/typo.test.yaml"
  expect_out "typo.test.yaml:$2"
}
typo_case "expcet: [{type: DATE}]" "4:13: unknown key 'expcet'; did you mean 'expect'?"
typo_case "onyl: true" "4:11: unknown key 'onyl'; did you mean 'only'?"
typo_case "expect: [{tpye: UNIT}]" "4:21: unknown key 'tpye'; did you mean 'type'?"
typo_case "absent: {type: DATE}" "4:13: 'absent' expects a list of entities, not a mapping"
printf 'scirpt: x.lua\ncases: []\n' >"$WORK/typo.test.yaml"
run_tm 2 test "$WORK/typo.test.yaml"
expect_out "typo.test.yaml:1:9: unknown key 'scirpt'; did you mean 'script'?"

# `rule:` names the rule that found the entity.
cat >"$WORK/rule.test.yaml" <<EOF2
script: $SRC/docs/examples/lua/dates.lua
cases:
  - {text: "Ngày 2/12/2021", expect: [{type: DATE, rule: date-dmy}]}
  - {text: "Ngày 2/12/2021", expect: [{type: DATE, rule: term}]}
EOF2
run_tm 1 test "$WORK/rule.test.yaml"
expect_out "2 cases in 1 file: 1 passed, 1 failed"
expect_out 'missing   {type: DATE, rule: term}'

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
