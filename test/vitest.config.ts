import { defineConfig } from "vitest/config";

/**
 * The end-to-end suite: checks the BUILT site (apps/site/dist, made by `turbo run build`) without a
 * browser where it can, and with Debian's Chromium (playwright-core) where it must. Each file serves
 * dist itself on 127.0.0.1 with a random port.
 */
export default defineConfig({
  test: {
    // Temporary folders of the run, removed when it ends.
    globalSetup: ["../scripts/vitest-tmpdir.mjs"],
    include: ["e2e/**/*.test.ts", "cli/**/*.test.ts"],
    // Browser start-up and axe runs are slow on 2 cores; hooks build nothing, they only serve dist.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // What the pages do in the browser (a search loading Pagefind and four years' indexes, a copy) answered within
    // vitest's default 1 s poll alone, but not always while the other test files kept both cores busy (a fresh
    // clone's CI: the search status still "Searching…" after 1 s).
    expect: { poll: { timeout: 10_000 } },
    // `.only` must not slip through CI.
    allowOnly: !process.env.CI,
    maxWorkers: 2,
  },
});
