# Sourced by scripts/run. `supervise NAME COMMAND…` starts COMMAND in the background
# and runs it again each time it stops (a crash, a kill), after a pause that grows
# while it keeps failing at once (3 s, doubled up to 60 s; back to 3 s after a minute
# of running), so a broken set-up does not spin. The supervisor's pid is appended to
# the caller's `pids` array; TERM or INT to it stops the command too.
# SUPERVISE_PAUSE sets the first pause (tests).
supervise() {
  local name=$1
  shift
  (
    child=""
    sleeper=""
    trap 'kill $child $sleeper 2>/dev/null; exit 0' INT TERM
    first_pause=${SUPERVISE_PAUSE:-3}
    pause=$first_pause
    while true; do
      started=$SECONDS
      "$@" &
      child=$!
      status=0
      wait "$child" || status=$?
      if [ $((SECONDS - started)) -gt 60 ]; then pause=$first_pause; fi
      echo "Le service « $name » s'est arrêté (code $status) : redémarrage dans $pause s." >&2
      # In the background, so that a TERM is handled at once, not after the pause.
      sleep "$pause" &
      sleeper=$!
      wait "$sleeper" || true
      sleeper=""
      pause=$((pause * 2 > 60 ? 60 : pause * 2))
    done
  ) &
  pids+=($!)
}
