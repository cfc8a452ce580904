#!/bin/sh
# Writes the AWS Organizations bundle that `OrganizationsReader` imports (format: docs/import-formats.md).
# Run with credentials of the management account or a delegated administrator. Needs the AWS CLI v2 and jq.
# Usage: collect-organization.sh [organization.json]
set -eu
out=${1:-organization.json}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

org() { aws organizations "$@" --output json; }
# put KEY FILE MAP: sets MAP[KEY] to the JSON in FILE
put() { jq --arg k "$1" --slurpfile v "$2" '.[$k] = $v[0]' "$3" > "$dir/tmp" && mv "$dir/tmp" "$3"; }

org describe-organization > "$dir/describe-organization.json"
org list-roots > "$dir/list-roots.json"

# Walk the tree breadth-first: OUs and accounts of every parent.
for map in ous accounts lists described targets tags; do echo '{}' > "$dir/$map.json"; done
parents=$(jq -r '.Roots[].Id' "$dir/list-roots.json")
while [ -n "$parents" ]; do
  next=""
  for parent in $parents; do
    org list-organizational-units-for-parent --parent-id "$parent" > "$dir/page.json"
    put "$parent" "$dir/page.json" "$dir/ous.json"
    next="$next $(jq -r '.OrganizationalUnits[].Id' "$dir/page.json")"
    org list-accounts-for-parent --parent-id "$parent" > "$dir/page.json"
    put "$parent" "$dir/page.json" "$dir/accounts.json"
  done
  parents=$(echo $next)
done

# Tags of every account and OU (the environment: env=prod|preprod|dev, read by `ciem sweep` and `identities --env`).
for id in $(jq -r '.[].Accounts[].Id' "$dir/accounts.json") $(jq -r '.[].OrganizationalUnits[].Id' "$dir/ous.json"); do
  org list-tags-for-resource --resource-id "$id" > "$dir/page.json"
  put "$id" "$dir/page.json" "$dir/tags.json"
done

# SCPs and RCPs: content and targets of each. A policy type that is not enabled lists nothing.
for filter in SERVICE_CONTROL_POLICY RESOURCE_CONTROL_POLICY; do
  org list-policies --filter "$filter" > "$dir/page.json" 2>/dev/null || echo '{"Policies": []}' > "$dir/page.json"
  put "$filter" "$dir/page.json" "$dir/lists.json"
  for id in $(jq -r '.Policies[].Id' "$dir/page.json"); do
    org describe-policy --policy-id "$id" > "$dir/policy.json"
    put "$id" "$dir/policy.json" "$dir/described.json"
    org list-targets-for-policy --policy-id "$id" > "$dir/policy.json"
    put "$id" "$dir/policy.json" "$dir/targets.json"
  done
done

jq -n \
  --slurpfile org "$dir/describe-organization.json" --slurpfile roots "$dir/list-roots.json" \
  --slurpfile ous "$dir/ous.json" --slurpfile accounts "$dir/accounts.json" --slurpfile lists "$dir/lists.json" \
  --slurpfile described "$dir/described.json" --slurpfile targets "$dir/targets.json" --slurpfile tags "$dir/tags.json" \
  '{"Format": "openciem-aws-organizations/1",
    "describe-organization": $org[0],
    "list-roots": $roots[0],
    "list-organizational-units-for-parent": $ous[0],
    "list-accounts-for-parent": $accounts[0],
    "list-policies": $lists[0],
    "describe-policy": $described[0],
    "list-targets-for-policy": $targets[0],
    "list-tags-for-resource": $tags[0]}' > "$out"
echo "wrote $out" >&2
