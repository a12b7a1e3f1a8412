#!/usr/bin/env bash
# Data-parallel training through c10d/Gloo on this machine: a 2-trial tiny
# sweep run with `--nproc 2` (global batch 4 = 2 ranks x 2) must record the
# same trials and, deterministic and in fp32, the same numbers (every
# epoch's losses and validation metrics, the test metrics of the final
# weights) within 1e-5 relative as one process with batch 4. Then the
# refusals: a batch the ranks cannot share, and a rank killed mid-trial,
# which must end the run with an error line instead of a hang.
#
#   data_parallel_test.sh STEGOLAB WORK_DIR
set -euo pipefail
stegolab=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
cd "$work"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Adam's eps is 1 (not 1e-8) so that an update follows the gradient's scale
# (gradients here are far below 1): averaging over the ranks instead of
# summing then shows in the numbers, which Adam's invariance to the scale
# would otherwise hide.
experiment() {  # name epochs batch
  cat <<JSON
{"name": "$1",
 "data": {"plugin": "synthetic", "params": {"size": 16, "count": 32, "augment_flip": false},
          "split": {"train": 0.5, "val": 0.25, "test": 0.25}},
 "transform": {"plugin": "haar_dwt"},
 "model": {"plugin": "star_inn", "params": {"blocks": 1, "hidden": 8}},
 "train": {"epochs": $2, "batch_size": $3, "device": "cpu", "seed": 5, "deterministic": true,
           "optimizer": {"eps": 1.0}},
 "eval": {"batch_size": 3},
 "sweep": {"axes": {"train.optimizer.lr": [0.01, 0.03]}}}
JSON
}
experiment tiny 2 4 >tiny.json

"$stegolab" run tiny.json --db single.db --threads 1 >single.txt 2>&1 ||
  fail "the single-process run failed: $(tail -n 5 single.txt)"
"$stegolab" run tiny.json --db ranks.db --threads 1 --nproc 2 >ranks.txt 2>&1 ||
  fail "the 2-rank run failed: $(tail -n 5 ranks.txt)"
grep -q "data-parallel: 2 ranks (gloo)" ranks.txt || fail "the run does not say it is data-parallel"
[ ! -e ranks.runs/1 ] || [ -e ranks.runs/1/last ] || fail "no checkpoint written by rank 0"

trials() { sqlite3 "$1" "SELECT key, status, last_epoch FROM trials ORDER BY id"; }
[ "$(trials single.db)" = "$(trials ranks.db)" ] ||
  fail "the trials differ: $(trials single.db) vs $(trials ranks.db)"

# What the weights decide; timings and counters of the machine left out.
numbers() {
  sqlite3 -separator ' ' "$1" "
    SELECT t.key, m.epoch, m.split, m.metric, m.value FROM epoch_metrics m
      JOIN trials t ON t.id = m.trial_id
     WHERE m.metric NOT IN ('images_per_s', 'step_time_ms', 'data_wait_ms', 'data_images_per_s')
    UNION ALL
    SELECT t.key, -1, f.split, f.metric, f.value FROM final_metrics f
      JOIN trials t ON t.id = f.trial_id
     WHERE f.metric NOT IN ('images_per_s')
    ORDER BY 1, 2, 3, 4"
}
numbers single.db >single.numbers
numbers ranks.db >ranks.numbers
[ "$(wc -l <single.numbers)" -gt 20 ] || fail "too few numbers recorded: $(cat single.numbers)"
cut -d' ' -f1-4 single.numbers >single.names
cut -d' ' -f1-4 ranks.numbers >ranks.names
cmp -s single.names ranks.names || fail "different metric rows: $(diff single.names ranks.names | head)"
paste -d' ' single.numbers ranks.numbers | awk '
  function abs(x) { return x < 0 ? -x : x }
  { a = $5; b = $10; scale = abs(a) > 1 ? abs(a) : 1
    if (abs(a - b) / scale > 1e-5) { print "differs: " $1, $2, $3, $4, a, b; bad = 1 } }
  END { exit bad }' || fail "the 2-rank numbers differ from one process's by more than 1e-5"
echo "2 ranks = 1 process: $(wc -l <single.numbers) numbers within 1e-5"

# A global batch the ranks cannot share is refused before anything runs.
experiment odd 1 3 >odd.json
if "$stegolab" run odd.json --db odd.db --threads 1 --nproc 2 >odd.txt 2>&1; then
  fail "a batch of 3 on 2 ranks was accepted"
fi
grep -q "multiple of the rank count" odd.txt || fail "no reason for the refusal: $(cat odd.txt)"

# A rank that dies mid-trial stops every rank with an error, never a hang.
experiment long 400 4 >long.json
"$stegolab" run long.json --db long.db --threads 1 --nproc 2 --dist-timeout 60 >long.txt 2>&1 &
launcher=$!
for _ in $(seq 1 600); do
  grep -q "epoch 2/400" long.txt 2>/dev/null && break
  sleep 0.1
done
grep -q "epoch 2/400" long.txt || fail "the long run did not start: $(tail -n 5 long.txt)"
ranks=$(pgrep -P "$launcher" | tr '\n' ' ')
[ "$(echo $ranks | wc -w)" -eq 2 ] || fail "expected 2 rank processes, found: $ranks"
victim=$(echo $ranks | cut -d' ' -f2)
kill -9 "$victim"
start=$(date +%s)
status=0
wait "$launcher" || status=$?
elapsed=$(($(date +%s) - start))
[ "$status" -ne 0 ] || fail "the run succeeded with a killed rank"
[ "$elapsed" -lt 50 ] || fail "the ranks took $elapsed s to stop after one died"
grep -q "ended with status" long.txt || fail "no line names the dead rank: $(tail -n 5 long.txt)"
# Rank 0 noticed by itself (not killed by the launcher) and recorded it.
[ "$(sqlite3 long.db "SELECT status FROM trials ORDER BY id LIMIT 1")" = "failed" ] ||
  fail "rank 0 did not record the trial as failed: $(sqlite3 long.db "SELECT status, error FROM trials")"
echo "a killed rank stopped the run in $elapsed s (status $status)"
