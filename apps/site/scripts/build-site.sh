#!/bin/sh
# The `site:build` stage: Astro builds the pages from what `atrc publish` made (.publish) into .site; every bulletin
# page is served from the page cache through a link in .site-cached (those this build renders are moved into the
# cache first; src/lib/page-cache.ts). The last stage adds the search index and the downloads, both made by
# `atrc publish`, and makes dist.
#
# Astro empties its output folder first, file by file, which takes a while for a large .site (one an earlier release
# left, with every bulletin page in it). The previous .site is moved aside and removed on the other core while
# Astro starts.
#
# .site-files lists every file of .site and .site-cached as this build left them. When Turborepo takes this stage
# from its cache, it writes the cached files over the folders as they are, and files of another build stay: the
# last stage removes what the list does not name (build-dist.sh).
set -eu
cd "$(dirname "$0")/.."
# .publish is the last `atrc publish`'s output, kept by its own cache; when Turborepo takes the content stage from
# its cache, it restores .publish/run-key alone: the key of the content it saw (keeping .publish itself there as well
# made it fight `atrc publish` over those files at every later build). When that is not the key .publish was made
# for (another branch's or content folder's, say), .publish is brought up to date first. (The key is read from the
# start of the manifest; should it not be found there, the check only costs a run of `atrc publish` that finds
# nothing to do.)
made=$(head -c 200 .publish/manifest.json 2>/dev/null | sed -n 's/^{"version":[0-9]*,"key":"\([0-9a-f]*\)".*/\1/p')
if [ -z "$made" ] || [ "$(cat .publish/run-key 2>/dev/null)" != "$made" ]; then
  echo "apps/site/.publish is not the content stage's output for this content: bringing it up to date." >&2
  npm run --silent content:publish
fi
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
