#!/usr/bin/env bash
# Sets up, builds, starts the server with the default persona, and places a demo call that
# prints the conversation. The server keeps running afterwards; the script says where.
#
#   scripts/demo.sh [SCRIPT]     # SCRIPT defaults to prompts/demo-call.txt
set -euo pipefail
cd "$(dirname "$0")/.."

SCRIPT=${1:-prompts/demo-call.txt}
export FRONTDESK_LISTEN=${FRONTDESK_LISTEN:-127.0.0.1:8080}
export FRONTDESK_API_TOKEN=${FRONTDESK_API_TOKEN:-demo-token}
# The demo happens after hours: this evening, 19:30 in the persona's time zone.
export FRONTDESK_NOW=${FRONTDESK_NOW:-$(TZ=America/New_York date +%Y-%m-%dT19:30:00%:z)}

bash scripts/setup.sh
echo "== building (release)"
cargo build --release --locked
BIN=target/release/frontdesk
mkdir -p data
BASE="http://$FRONTDESK_LISTEN"

if curl -fsS "$BASE/healthz" >/dev/null 2>&1; then
  echo "== a server is already answering at $BASE; calling it"
else
  echo "== starting the server at $BASE (log: data/frontdesk.log)"
  nohup "$BIN" serve >data/frontdesk.log 2>&1 &
  echo $! >data/frontdesk.pid
  for _ in $(seq 1 120); do
    curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
    if ! kill -0 "$(cat data/frontdesk.pid)" 2>/dev/null; then
      echo "the server exited; its log:" >&2
      cat data/frontdesk.log >&2
      exit 1
    fi
    sleep 0.5
  done
fi

echo "== placing a simulated Twilio call ($SCRIPT)"
"$BIN" call --script "$SCRIPT" --server "$BASE"

cat <<MSG

The server is still running (pid $(cat data/frontdesk.pid 2>/dev/null || echo '?'), log data/frontdesk.log).
  Call log API:   curl -H 'Authorization: Bearer $FRONTDESK_API_TOKEN' $BASE/api/calls
  One call:       curl -H 'Authorization: Bearer $FRONTDESK_API_TOKEN' $BASE/api/calls/<call_sid>
  Recording:      $BASE/api/calls/<call_sid>/recording.wav (same token)
  Twilio webhook: $BASE/twilio/voice (set FRONTDESK_PUBLIC_URL to your public https URL)
  Another call:   $BIN call --script $SCRIPT --server $BASE
  Book a meeting: $BIN call --script prompts/demo-booking.txt --server $BASE --from +16175550111
  Appointments:   curl -H 'Authorization: Bearer $FRONTDESK_API_TOKEN' $BASE/api/appointments
  Notifications:  curl -H 'Authorization: Bearer $FRONTDESK_API_TOKEN' $BASE/api/notifications  (webhook, Slack, email: see README, Notifications)
  Inbox:          curl -H 'Authorization: Bearer $FRONTDESK_API_TOKEN' '$BASE/api/inbox?handled=false'
  Contacts:       curl -H 'Authorization: Bearer $FRONTDESK_API_TOKEN' $BASE/api/contacts
  The whole API:  $BASE/api/openapi.json (OpenAPI 3.1, no token needed)
  Stop it:        kill \$(cat data/frontdesk.pid)
MSG
