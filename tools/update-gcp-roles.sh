#!/usr/bin/env bash
# Regenerates src/Ciem.Core/Gcp/Catalog/gcp-roles.tsv.gz from iann0036/iam-dataset (MIT): the `gcp/roles/*.json`
# files, one `gcloud iam roles describe` output per predefined role. Copies the dataset's licence beside it.
# Usage: tools/update-gcp-roles.sh [iam-dataset folder] [source version]
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dataset="${1:-$repo/../shared/data/iam-dataset}"
version="${2:-iann0036/iam-dataset@2073fa52ac008a45477aa0b1b4580cd99135bf60}"
out_dir="$repo/src/Ciem.Core/Gcp/Catalog"

dotnet run --project "$repo/tools/Ciem.GcpRoleGen" -c Release -- "$dataset/gcp/roles" "$version" "$out_dir/gcp-roles.tsv.gz"
cp "$dataset/LICENSE" "$out_dir/gcp-roles.LICENSE.txt"
echo "done: $out_dir/gcp-roles.tsv.gz ($(wc -c < "$out_dir/gcp-roles.tsv.gz") bytes)"
