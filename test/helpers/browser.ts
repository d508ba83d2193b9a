/**
 * Debian's Chromium through playwright-core: no browser download, a fresh profile per context
 * (TOOLCHAIN §3 and G10).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** The Chromium binary (`ATRC_CHROMIUM`, default Debian's). */
export const CHROMIUM = process.env.ATRC_CHROMIUM ?? "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A browser context with its own throw-away profile. */
export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launch Chromium with a fresh persistent profile.
 *
 * @param options Context options (viewport, JavaScript, colour scheme, permissions...).
 * @returns The context and a `close` that also deletes the profile.
 */
export async function launch(
  options: Parameters<typeof chromium.launchPersistentContext>[1] = {},
): Promise<Browser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), "atrc-pw-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    acceptDownloads: true,
    ...options,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
