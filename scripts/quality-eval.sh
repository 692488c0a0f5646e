#!/usr/bin/env bash
# The quality score against NIST's NFIQ 2, on held-out fingers and held-out kinds of damage.
#
#   scripts/quality-eval.sh          # build the set, score it, print the table of the goals
#   scripts/quality-eval.sh --fit    # also refit the model (station/src/checks/quality/model.rs)
#   QUALITY_EVAL_SCORE_MISSING=1 scripts/quality-eval.sh   # first score with NFIQ 2 the images
#                                    # not in the committed scores (about 1.5 s each)
#
# The set (2,504 PNGs: NIST's five SFinGe images and 48 simulator impressions of 24 fingers,
# each damaged by every kind at several strengths, plus the simulator's own dry, wet, light and
# noisy impressions) is rebuilt from its recipe (station/tests/quality_eval_set.rs) into
# $QUALITY_EVAL_WORK (default /tmp/quality-eval). NFIQ 2's scores of it are committed in
# station/tests/data/quality/eval_nfiq2.csv; only images missing there are scored with the
# reference tool (scripts/nfiq2-ref, or $NFIQ2_REF), which installs its own venv from PyPI.
# Not run in CI: it takes minutes and NFIQ 2 is not ours to ship.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${QUALITY_EVAL_WORK:-/tmp/quality-eval}"
NFIQ2_REF="${NFIQ2_REF:-$ROOT/scripts/nfiq2-ref}"
SCORES="$ROOT/station/tests/data/quality/eval_nfiq2.csv"
IMAGES="$WORK/images"
mkdir -p "$IMAGES"
cd "$ROOT"

echo "[quality-eval] building the image set in $IMAGES" >&2
QUALITY_EVAL_DIR="$IMAGES" cargo test -q -p station --test integration write_quality_eval_set \
    -- --ignored >&2
# After the test: `cargo test` leaves target/debug/station built at the test profile's opt-level 0,
# six times slower than the dev build that the timing below is about.
cargo build -q -p station --bin station

# NFIQ 2: only the images it has not scored yet, two processes at a time.
[ -f "$SCORES" ] || printf '# NFIQ 2 v2.3 (nbis-python, through the nfiq2-ref tool) of the evaluation set: name, score, seconds\nname,nfiq2,seconds\n' >"$SCORES"
comm -23 <(tail -n +2 "$IMAGES/manifest.csv" | cut -d, -f1 | sort) \
    <(grep -v '^#' "$SCORES" | tail -n +2 | cut -d, -f1 | sort) >"$WORK/missing.txt"
if [ -s "$WORK/missing.txt" ] && [ "${QUALITY_EVAL_SCORE_MISSING:-0}" != 1 ]; then
    echo "[quality-eval] $(wc -l <"$WORK/missing.txt") images have no NFIQ 2 score yet: left out" >&2
elif [ -s "$WORK/missing.txt" ]; then
    echo "[quality-eval] NFIQ 2 scoring $(wc -l <"$WORK/missing.txt") images" >&2
    split -n l/2 "$WORK/missing.txt" "$WORK/missing."
    for part in "$WORK"/missing.a?; do
        sed "s|^|$IMAGES/|; s|$|.png|" "$part" | xargs "$NFIQ2_REF/nfiq2.sh" >"$part.out" 2>"$part.err" &
    done
    wait
    cat "$WORK"/missing.a?.out | while read -r path score _minutiae seconds; do
        echo "$(basename "$path" .png),$score,$seconds"
    done >>"$SCORES"
    # Images NFIQ 2 refused are kept as -1, so that they are not scored again on every run.
    comm -23 <(sort "$WORK/missing.txt") <(cut -d, -f1 "$SCORES" | sort) | sed 's/$/,-1,0/' >>"$SCORES"
    rm -f "$WORK"/missing.a?*
fi

# Ours, on the images NFIQ 2 scored (the same images for the timing ratio).
scored() { grep -v '^#' "$SCORES" | tail -n +2 | grep -v ',-1,' | cut -d, -f1 | sed "s|^|$IMAGES/|; s|$|.png|"; }
echo "[quality-eval] scoring with the station" >&2
scored | xargs target/debug/station fingerprint quality --json >"$WORK/ours.jsonl"

if [ "${1:-}" = "--fit" ]; then
    VENV="${QUALITY_EVAL_VENV:-/tmp/quality-eval-venv}"
    [ -x "$VENV/bin/python" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q numpy; }
    "$VENV/bin/python" scripts/quality_eval.py fit "$IMAGES/manifest.csv" "$SCORES" "$WORK/ours.jsonl" \
        station/src/checks/quality/model.rs
    cargo build -q -p station --bin station
    scored | xargs target/debug/station fingerprint quality --json >"$WORK/ours.jsonl"
fi
python3 scripts/quality_eval.py eval "$IMAGES/manifest.csv" "$SCORES" "$WORK/ours.jsonl"

# Speed, fairly: the committed NFIQ 2 seconds were measured when the images were scored, under
# whatever load the machine had then; here both score the same 40 images back to back.
if [ -x "$NFIQ2_REF/nfiq2.sh" ] && [ "${QUALITY_EVAL_TIMING:-1}" = 1 ]; then
    scored | shuf -n 40 --random-source=<(yes) >"$WORK/timing.txt"
    xargs target/debug/station fingerprint quality --json <"$WORK/timing.txt" >"$WORK/timing-ours.jsonl"
    xargs "$NFIQ2_REF/nfiq2.sh" <"$WORK/timing.txt" >"$WORK/timing-nfiq2.txt" 2>/dev/null
    python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
ours = [json.loads(l)["ms"] / 1e3 for l in open(f"{w}/timing-ours.jsonl")]
nist = [float(l.split()[3]) for l in open(f"{w}/timing-nfiq2.txt")]
print(f"\nspeed, {len(ours)} images back to back: ours {1e3 * sum(ours) / len(ours):.1f} ms an image "
      f"(debug build, PNG decoding included), NFIQ 2 {1e3 * sum(nist) / len(nist):.0f} ms: "
      f"{sum(nist) / sum(ours):.0f}x faster")
PY
fi
