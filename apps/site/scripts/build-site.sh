#!/bin/sh
# The `site:build` stage: Astro builds the pages from what `atrc publish` made (.publish) into .site, and links the
# bulletin pages an earlier build rendered into .site-cached (src/lib/page-cache.ts); the last stage adds the
# search index and the downloads, both made by `atrc publish`, and makes dist.
#
# Astro empties its output folder first, file by file: after a build that rendered every bulletin page, that takes
# a while. The previous .site is moved aside and removed on the other core while Astro starts.
#
# .site-files lists every file of .site and .site-cached as this build left them. When Turborepo takes this stage
# from its cache, it writes the cached files over the folders as they are, and files of another build stay: the
# last stage removes what the list does not name (build-dist.sh).
set -eu
cd "$(dirname "$0")/.."
rm -rf .site-old .site-files
if [ -e .site ]; then mv .site .site-old; fi
rm -rf .site-old &
cleaner=$!
status=0
ATRC_PUBLISH_DIR=.publish astro build --force --outDir .site || status=$?
wait "$cleaner"
if [ "$status" -eq 0 ]; then
  mkdir -p .site-cached
  find .site .site-cached ! -type d | LC_ALL=C sort >.site-files
fi
exit "$status"
