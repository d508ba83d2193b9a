#!/bin/sh
# The `build` stage: `atrc publish` checks that nothing changed since `content:publish`, then makes dist the built
# site (.site) with the search index and every download.
#
# The cached bulletin pages in .site are symbolic links into the page cache (node_modules/.cache/atrc/site-pages).
# When Turborepo restores .site from its own cache after the page cache was emptied (node_modules installed
# again) or pruned, some links point nowhere: the site is built again first, which renders those pages back into
# the page cache.
set -eu
cd "$(dirname "$0")/.."
if [ -d .site ] && [ -n "$(find -L .site -type l | head -n 1)" ]; then
  echo "Some pages of .site link to files no longer in the page cache: building the site again." >&2
  sh scripts/build-site.sh
fi
cd ../..
exec atrc publish "${ATRC_CONTENT_DIR:-content}" --out apps/site/.publish --cache node_modules/.cache/atrc/publish --search \
  --site apps/site/.site --dist apps/site/dist
