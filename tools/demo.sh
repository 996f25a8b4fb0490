#!/usr/bin/env bash
# make demo: build every document of the data folder into build/.
# Every step runs even when an earlier one reports a failing unit; the script exits at the end
# with the highest status any step returned, so a failing unit is reported, not a stop for all.
set -uo pipefail
BIN=${BIN:-.venv/bin}
JOBS=${JOBS:-1}
worst=0
step() {
  "$@"
  local status=$?
  if [ "$status" -ne 0 ]; then
    echo "（上一步退出状态 $status：$*）" >&2
    [ "$status" -gt "$worst" ] && worst=$status
  fi
}
step "$BIN/docgen" check
step "$BIN/docgen" build -j "$JOBS"
step env BIN="$BIN" bash tools/bureau-demo.sh
step "$BIN/docgen" plan build -j "$JOBS"
step "$BIN/docgen" report build -j "$JOBS"
if [ "$worst" -ne 0 ]; then
  echo "make demo：通过检查的单位已生成到 build/；有步骤未完全成功（最高退出状态 $worst），见上面的报告。" >&2
else
  echo "make demo：全部材料已生成到 build/。"
fi
exit "$worst"
