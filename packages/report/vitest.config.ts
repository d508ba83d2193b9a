import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // CI runs every package's tests at once on 2 cores; generous limits keep slow starts from failing tests.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    allowOnly: !process.env.CI,
  },
});
