#!/usr/bin/env bash
# Issue #4, acceptance 9: no secret used by the tests appears in any log, audit record, notification or
# error of the run. Scans every end-to-end transcript (CLI output at debug level, audit trail, SNS messages)
# and CTest's log of the run for each secret in tests/pipeline/secrets.txt.
set -u
transcripts=$1
secrets_file=$2
ctest_log=$3
files=()
[ -d "$transcripts" ] && while IFS= read -r f; do files+=("$f"); done < <(find "$transcripts" -type f)
[ -f "$ctest_log" ] && files+=("$ctest_log")
if [ ${#files[@]} -eq 0 ]; then
  echo "secret scan: nothing to scan in $transcripts"; exit 1
fi
found=0
secrets=0
while IFS= read -r secret; do
  case "$secret" in ''|'#'*) continue ;; esac
  secrets=$((secrets + 1))
  if grep -lF -- "$secret" "${files[@]}" >/dev/null 2>&1; then
    echo "LEAK: a secret of tests/pipeline/secrets.txt (line $(grep -nxF -- "$secret" "$secrets_file" | cut -d: -f1)) appears in:"
    grep -lF -- "$secret" "${files[@]}" | sed 's/^/  /'
    found=$((found + 1))
  fi
done < "$secrets_file"
echo "secret scan: $secrets secrets, ${#files[@]} files, $found found"
[ "$found" -eq 0 ]
