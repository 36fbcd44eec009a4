#!/usr/bin/env bash
# Runs schemathesis (PyPI) against a live `meridian serve` and its served OpenAPI document:
# every operation is called with generated data (valid and invalid), as an official and as a
# program manager; the run fails on any 5xx answer and on any answer the document does not allow.
#
#   scripts/api-contract.sh                 # builds debug, ~2–5 minutes
#   MERIDIAN_BIN=.build/release/meridian EXAMPLES=50 scripts/api-contract.sh
#
# It uses a private cluster of its own in a temporary folder (deleted at the end) and never
# touches your default database.
set -euo pipefail
cd "$(dirname "$0")/.."

examples=${EXAMPLES:-20}
port=${PORT:-18089}
if [[ -z ${MERIDIAN_BIN:-} ]]; then
  swift build --product meridian >/dev/null
  MERIDIAN_BIN=$(swift build --show-bin-path)/meridian
fi
python3 -m pip show schemathesis >/dev/null 2>&1 || python3 -m pip install -q schemathesis

work=$(mktemp -d /tmp/meridian-contract-XXXXXX)
chmod 755 "$work"
export MERIDIAN_DATA_DIR="$work/pg" XDG_CONFIG_HOME="$work/config"
unset MERIDIAN_TOKEN MERIDIAN_DATABASE_URL
server=""
cleanup() {
  status=$?
  if [[ $status -ne 0 && -f $work/serve.log ]]; then
    echo "api-contract: the server's log ends with:" >&2
    tail -20 "$work/serve.log" >&2
  fi
  [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  "$MERIDIAN_BIN" db stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

m() { "$MERIDIAN_BIN" "$@"; }
m db start >/dev/null
m workflow deploy Workflows/*.xml >/dev/null
admin=$(m user add ada --name "Ada Admin" --role admin 2>/dev/null | tail -1)
export MERIDIAN_TOKEN=$admin
m kb seed >/dev/null
m user add amani --name "Amani Kabila" --role official --country COD >/dev/null
m user add pat --name "Pat Manager" --role program-manager >/dev/null
official=$(m token create --user amani | tail -1)
manager=$(m token create --user pat | tail -1)
m fund create rapid --name "Rapid Response" --currency USD --iban "DE89 3704 0044 0532 0130 00" >/dev/null
unset MERIDIAN_TOKEN

"$MERIDIAN_BIN" serve --port "$port" --workers --verbose >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

# A real exchange, so that generated ids are not the only ones the API sees.
curl -sS --fail-with-body -X POST "http://127.0.0.1:$port/api/v1/exchanges" -H "Authorization: Bearer $official" -H "Content-Type: application/json" \
  -d '{"country":"COD","country_name":"DR Congo","region":"sub-saharan-africa","income_group":"low","development_goal":"Lasting peace in the east","institutional_challenge":"Reintegrating ex-combatants","change_objective":"A community-based programme","sectors":["demobilisation-reintegration"],"instruments":["study-visit"],"indicators":[{"name":"Former fighters with a livelihood","unit":"%","baseline":12,"target":40}]}' >/dev/null

status=0
for token in "$official" "$manager"; do
  python3 -m schemathesis.cli run "http://127.0.0.1:$port/api/v1/openapi.yaml" --url "http://127.0.0.1:$port" \
    -H "Authorization: Bearer $token" --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "$examples" || status=$?
done
if grep -q "request failed" "$work/serve.log"; then
  echo "api-contract: the server logged failures:" >&2
  grep "request failed" "$work/serve.log" | head -20 >&2
  status=1
fi
exit $status
