#!/usr/bin/env bash
# Regenerates src/Ciem.Core/Azure/Catalog/azure-operations.tsv.gz from `az provider operation list` output, one JSON
# file per provider namespace, and src/Ciem.Core/Azure/Catalog/azure-roles.jsonl.gz from the built-in role definitions
# (`az role definition list`, one JSON file per role), and copies the source's licence beside them.
# Usage: tools/update-azure-catalog.sh [operations folder] [source version] [role definitions folder or file]
# Default source: ../shared/data/azure-builtin-roles-and-operations (github.com/easimon/azure-builtin-roles, MIT).
# To use a live tenant instead: `az provider operation list > ops.json`, `az role definition list > roles.json` and
# pass both (only roles with `roleType: BuiltInRole` are kept).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$repo/../shared/data/azure-builtin-roles-and-operations"
input="${1:-$data/azure-provider-operations}"
version="${2:-easimon/azure-builtin-roles@db0b2258505032bd004bc356dd3eec87250d5b99}"
roles="${3:-$data/azure-roles}"
out_dir="$repo/src/Ciem.Core/Azure/Catalog"

dotnet run --project "$repo/tools/Ciem.AzureCatalogGen" -c Release -- "$input" "$version" "$out_dir/azure-operations.tsv.gz" "$roles" "$out_dir/azure-roles.jsonl.gz"
if [[ -f "$data/LICENSE" && -z "${1:-}" ]]; then cp "$data/LICENSE" "$out_dir/azure-operations.LICENSE.txt"; fi
