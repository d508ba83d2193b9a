import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Temporary folders of the run, removed when it ends.
    globalSetup: ["../../scripts/vitest-tmpdir.mjs"],
    // CI runs every package's tests at once on 2 cores; generous limits keep slow starts from failing tests.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    allowOnly: !process.env.CI,
  },
});
