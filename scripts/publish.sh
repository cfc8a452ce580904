#!/usr/bin/env bash
# Builds `ciem` as one self-contained file for a runtime (default: this machine's), so it runs without the .NET SDK:
#   ./scripts/publish.sh               → dist/linux-x64/ciem (or osx-arm64, …)
#   ./scripts/publish.sh win-x64       → dist/win-x64/ciem.exe
# then put it on the PATH, e.g. `install -m 0755 dist/linux-x64/ciem ~/.local/bin/ciem`.
set -euo pipefail
cd "$(dirname "$0")/.."
rid="${1:-}"
if [ -z "$rid" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) rid=linux-x64 ;;
    Linux-aarch64) rid=linux-arm64 ;;
    Darwin-arm64) rid=osx-arm64 ;;
    Darwin-x86_64) rid=osx-x64 ;;
    *) echo "error: unknown platform $(uname -s)-$(uname -m): give a runtime identifier, e.g. linux-x64" >&2; exit 3 ;;
  esac
fi
echo "publishing ciem for $rid (restore and build take a few minutes the first time)…" >&2
dotnet publish src/Ciem.Cli -c Release -r "$rid" --self-contained true \
  -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:PackAsTool=false \
  -o "dist/$rid"
echo "dist/$rid/$( [ "${rid%%-*}" = win ] && echo ciem.exe || echo ciem )"
