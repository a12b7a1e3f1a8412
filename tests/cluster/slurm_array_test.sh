#!/usr/bin/env bash
# The Slurm integration test: a real single-node Slurm (scripts/local-slurm)
# runs a 4-trial tiny sweep as a job array (`stegolab submit --slurm`); one
# task is sent Slurm's warning signal (USR1) mid-trial, another SIGTERM, and
# each must requeue itself and resume from its checkpoint; the shards are merged and the merged database's
# report must equal a single-process run's. Skips (exit 77) only when the
# daemons cannot start here.
#
#   slurm_array_test.sh STEGOLAB LOCAL_SLURM WORK_DIR
set -euo pipefail
stegolab=$1
local_slurm=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$work"
start=$(date +%s)

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
say() { echo "[$(($(date +%s) - start)) s] $*"; }

if ! "$local_slurm" start "$work/slurm" >"$work/slurm-start.txt" 2>&1; then
  echo "SKIP: a local Slurm cannot start on this machine:" >&2
  cat "$work/slurm-start.txt" >&2
  exit 77
fi
trap '"$local_slurm" stop "$work/slurm"' EXIT
export SLURM_CONF="$work/slurm/slurm.conf"
say "local Slurm up"

# Deterministic, so that an interrupted and resumed trial ends with exactly
# the numbers of an uninterrupted one; long enough to be signalled mid-trial.
epochs=40
cat >tiny.json <<JSON
{"name": "tiny",
 "data": {"plugin": "synthetic", "params": {"size": 16, "count": 16},
          "split": {"train": 0.5, "val": 0.25, "test": 0.25}},
 "transform": {"plugin": "haar_dwt"},
 "model": {"plugin": "star_inn", "params": {"blocks": 1, "hidden": 8}},
 "train": {"epochs": $epochs, "batch_size": 4, "device": "cpu", "seed": 3, "deterministic": true},
 "eval": {"batch_size": 8},
 "sweep": {"axes": {"train.optimizer.lr": [0.001, 0.002, 0.003, 0.004]}}}
JSON

"$stegolab" submit tiny.json --slurm --results results --trials-per-task 1 --dry-run >dry-run.sbatch
grep -q -- "--array=0-3" dry-run.sbatch || fail "the dry run's script has no --array=0-3: $(cat dry-run.sbatch)"
grep -q -- "--signal=B:USR1@120" dry-run.sbatch || fail "the script asks for no warning signal"
"$stegolab" submit tiny.json --slurm --results results --trials-per-task 1 | tee submit.txt
job=$(sed -n 's/^submitted Slurm job \([0-9]*\):.*/\1/p' submit.txt)
[ -n "$job" ] || fail "no job id in the output of submit"
shards=results/tiny.shards

# Wait until `file` contains `text` (at most `seconds`).
wait_for() {
  local file=$1 text=$2 seconds=$3
  for _ in $(seq 1 $((seconds * 10))); do
    grep -q -- "$text" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "waited ${seconds} s for '$text' in $file: $(tail -n 5 "$file" 2>/dev/null)"
}

# Stops task `index` with `signal` once it has trained 3 epochs, and checks
# that it requeues itself; Slurm holds a requeued job back (its start time
# moved ~2 minutes ahead), so the test releases it at once.
stop_and_release() {
  local index=$1 signal=$2 state=""
  wait_for "$shards/$index.log" "epoch 3/$epochs" 90
  # scancel keeps retrying (and then fails) once the task it signalled has
  # requeued itself; whether the signal arrived is read from the task's log.
  # Stopped once the task has requeued, or a retry would signal its next attempt.
  timeout 10 scancel --batch --signal="$signal" "${job}_$index" >/dev/null 2>&1 &
  local scancel=$!
  say "sent $signal to task ${job}_$index"
  wait_for "$shards/$index.log" "requeued Slurm job ${job}_$index" 30
  kill "$scancel" 2>/dev/null || true
  wait "$scancel" 2>/dev/null || true
  for _ in $(seq 1 100); do
    state=$(squeue -h -j "${job}_$index" -o %T 2>/dev/null || true)
    [ "$state" = "PENDING" ] && break
    sleep 0.1
  done
  scontrol update JobId="${job}_$index" StartTime=now
  say "task ${job}_$index requeued ($state), released"
}

# Slurm's warning signal to task 1, and the SIGTERM of a time limit or a
# preemption to task 2, each in the middle of its trial.
stop_and_release 1 USR1
stop_and_release 2 TERM

for _ in $(seq 1 1200); do
  [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
  sleep 0.1
done
[ -z "$(squeue -h -j "$job")" ] || fail "the array did not finish within 120 s: $(squeue -r -j "$job")"
say "array finished"
"$stegolab" submit tiny.json --status --results results | tee status.txt
grep -q "trials: 4 done (of 4)" status.txt || fail "submit --status does not show 4 done trials"

for index in 1 2; do
  scontrol show job "${job}_$index" | grep -q "Restarts=1" || fail "task $index was not restarted once"
  grep -q "resuming interrupted trial from epoch" "$shards/$index.log" ||
    fail "requeued task $index did not resume from its checkpoint: $(cat "$shards/$index.log")"
  grep -q "epoch 1/$epochs " <(sed -n '/attempt 2/,$p' "$shards/$index.log") &&
    fail "requeued task $index trained its first epoch again"
done

merge_start=$(date +%s%N)
"$stegolab" results merge results/tiny.db "$shards"/*.db | tee merge.txt
say "merged in $((($(date +%s%N) - merge_start) / 1000000)) ms"
grep -q "4 trials added" merge.txt || fail "the merge did not add the 4 trials"
"$stegolab" results merge results/tiny.db "$shards"/*.db | tee merge-again.txt
grep -q "nothing new" merge-again.txt || fail "a second merge of the same shards changed the file"

"$stegolab" run tiny.json --db single/tiny.db --threads 1 >single.txt 2>&1 || fail "the single run failed"
say "single-process run done"
report() {
  "$stegolab" report --db "$1" --experiment tiny --rows train.optimizer.lr \
    --metrics rec_psnr,hide_psnr,ber --format csv
}
report results/tiny.db >merged-report.csv
report single/tiny.db >single-report.csv
diff single-report.csv merged-report.csv || fail "the merged report differs from the single run's"
ids() { sqlite3 "$1" "SELECT id, key, status, last_epoch FROM trials ORDER BY id"; }
diff <(ids single/tiny.db) <(ids results/tiny.db) || fail "the merged trials differ from the single run's"
say "PASS: array, requeue and resume, merge and report equal the single run"
