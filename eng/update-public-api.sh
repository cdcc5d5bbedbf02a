#!/usr/bin/env bash
# Adds every public symbol the PublicApiAnalyzer reports as undeclared (RS0016) to the project's
# PublicAPI.Unshipped.txt, and drops entries it reports as removed (RS0017). Review the diff:
# this is how an intended API change is recorded; an unintended one should be fixed in code.
set -euo pipefail
project_dir=${1:?usage: eng/update-public-api.sh src/PROJECT}
unshipped="$project_dir/PublicAPI.Unshipped.txt"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet build "$project_dir" --no-incremental -p:TreatWarningsAsErrors=false 2>&1 >"$log" || true
added=$(grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared public API)" "$log" | sort -u || true)
removed=$(grep -oP "RS0017: Symbol '\K.*(?=' is part of the declared API, but is either not public or could not be found)" "$log" | sort -u || true)
{
  echo '#nullable enable'
  { grep -v '^#nullable enable$' "$unshipped" || true; printf '%s\n' "$added"; } \
    | grep -v '^$' | grep -vxF -f <(printf '%s\n' "$removed" | grep -v '^$' || echo '@@none@@') | LC_ALL=C sort -u
} >"$unshipped.new"
mv "$unshipped.new" "$unshipped"
echo "$unshipped: $(grep -c . "$unshipped") lines"
