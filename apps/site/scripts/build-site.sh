#!/bin/sh
# The `site:build` stage: Astro builds the pages from what `atrc publish` made (.publish) into .site (the last
# stage adds the search index and the downloads, both made by `atrc publish`, and makes dist).
#
# Astro empties its output folder first, file by file: for a large archive (thousands of pages and search files)
# that takes a while. The previous .site is moved aside and removed on the other core while Astro starts.
set -eu
cd "$(dirname "$0")/.."
rm -rf .site-old
if [ -e .site ]; then mv .site .site-old; fi
rm -rf .site-old &
cleaner=$!
status=0
ATRC_PUBLISH_DIR=.publish astro build --force --outDir .site || status=$?
wait "$cleaner"
exit "$status"
