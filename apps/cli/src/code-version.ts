/** The version of the code that makes published files, for content-addressed caches. */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const RENDERING_PACKAGES = ["@atrc/pdf", "@atrc/bulletin", "@atrc/ioc", "@atrc/export", "@atrc/i18n"];

let memo: string | undefined;

/**
 * Hash of the built code of every package a published file depends on, of this app, and of the lockfile (third-party
 * code and the fonts it reads): a cache entry made by other code is never served.
 *
 * @returns A hex digest, computed once per process (synchronously: a few hundred small files).
 */
export function codeVersion(): string {
  memo ??= (() => {
    const hash = createHash("sha256");
    const folders = [
      ...RENDERING_PACKAGES.map((name) => {
        const entry = fileURLToPath(import.meta.resolve(name));
        return entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`) + 5);
      }),
      path.dirname(fileURLToPath(import.meta.url)),
    ];
    for (const folder of folders) {
      const names = readdirSync(folder, { recursive: true, encoding: "utf8" })
        .filter((name) => /\.(?:js|json)$/u.test(name))
        .sort();
      for (const name of names) hash.update(name).update(readFileSync(path.join(folder, name)));
    }
    // Third-party code and the fonts it reads at run time: their exact versions are in the lockfile.
    for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
      let lock: Buffer | undefined;
      try {
        lock = readFileSync(path.join(dir, "package-lock.json"));
      } catch {
        lock = undefined;
      }
      if (lock) {
        hash.update(lock);
        break;
      }
      if (path.dirname(dir) === dir) break;
    }
    return hash.digest("hex");
  })();
  return memo;
}
