#!/bin/sh
# The `build` stage: `atrc publish` checks that nothing changed since `content:publish`, then makes dist the built
# site (.site and the cached bulletin pages in .site-cached) with the search index and every download.
#
# Files of .site and .site-cached that .site-files does not list are another build's, left there when Turborepo
# restored this stage's output over them (it does not empty the folders first): they are removed, or dist would
# serve them (a deleted bulletin's page, say).
#
# The pages in .site-cached are symbolic links into the page cache (node_modules/.cache/atrc/site-pages). When
# Turborepo restores them after the page cache was emptied (node_modules installed again) or pruned, some links
# point nowhere: the site is built again first, which renders those pages back into the page cache.
set -eu
cd "$(dirname "$0")/.."
if [ -f .site-files ]; then
  stale=$(find .site .site-cached ! -type d 2>/dev/null | LC_ALL=C sort | LC_ALL=C comm -23 - .site-files)
  if [ -n "$stale" ]; then
    printf '%s\n' "$stale" | while IFS= read -r file; do rm -f -- "$file"; done
    find .site .site-cached -mindepth 1 -type d -empty -delete 2>/dev/null || true
  fi
fi
if [ ! -f .site-files ] || [ -n "$(find -L .site-cached -type l 2>/dev/null | head -n 1)" ]; then
  echo "The site's pages are not all there (.site-cached links to files no longer in the page cache): building the site again." >&2
  sh scripts/build-site.sh
fi
cd ../..
exec atrc publish "${ATRC_CONTENT_DIR:-content}" --out apps/site/.publish --cache node_modules/.cache/atrc/publish --search \
  --site apps/site/.site --site apps/site/.site-cached --dist apps/site/dist
