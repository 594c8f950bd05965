#!/usr/bin/env bash
# Fetches the DDI Alliance's DDI-Codebook 2.5 XML schema (codebook.xsd and the schemas it
# imports: Dublin Core, xml.xsd, the DDI XHTML 1.1 modules) into a cache folder, for the tests
# that validate terep's `--format ddi` output with xmllint (DDISchemaValidationTests).
#
# Every file is checked against scripts/ddi-codebook-2.5.sha256; nothing is used unless every
# checksum matches. A cache that already matches is kept, so CI downloads it once. The checksums
# are those of the 2012-01-17 release as mirrored in github.com/ncrncornell/ddi-schemas (2.5/);
# the machine they were taken on had no route to ddialliance.org, so if the Alliance's copies
# differ (line ends, a later fix), this script says so and the checksums need updating after a
# look at what changed.
#
#   scripts/fetch-ddi-schema.sh            # into ${XDG_CACHE_HOME:-~/.cache}/terep/ddi-codebook-2.5
#   TEREP_DDI_SCHEMA_DIR=DIR scripts/fetch-ddi-schema.sh
#
# Without network access: download the same files by hand from
# https://ddialliance.org/Specification/DDI-Codebook/2.5/XMLSchema/ (keeping the XHTML/ folder)
# into that folder; the test checks the checksums too.
set -euo pipefail
base="https://ddialliance.org/Specification/DDI-Codebook/2.5/XMLSchema"
dest="${TEREP_DDI_SCHEMA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terep/ddi-codebook-2.5}"
sums="$(cd "$(dirname "$0")" && pwd)/ddi-codebook-2.5.sha256"

if [ -d "$dest" ] && (cd "$dest" && sha256sum --quiet --strict -c "$sums") >/dev/null 2>&1; then
  echo "DDI-Codebook 2.5 schema: cached in $dest (checksums match)"
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
while read -r _ path; do
  mkdir -p "$tmp/$(dirname "$path")"
  curl -fsSL --retry 3 --max-time 60 -o "$tmp/$path" "$base/$path"
done < "$sums"
if ! (cd "$tmp" && sha256sum --quiet --strict -c "$sums"); then
  echo "error: the DDI-Codebook 2.5 schema downloaded from $base does not match scripts/ddi-codebook-2.5.sha256" >&2
  exit 1
fi
mkdir -p "$(dirname "$dest")"
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
echo "DDI-Codebook 2.5 schema: downloaded into $dest (checksums match)"
