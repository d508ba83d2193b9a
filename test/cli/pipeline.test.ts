/**
 * The publish pipeline's Turborepo configuration: an edited bulletin must re-run every cached stage that depends on
 * it. Only `content:publish` names the content as its input; the stage after it (`site:build`) is keyed by its
 * hash. A stale cache hit here would publish an old site (TOOLCHAIN G7).
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/site.ts";

/** The files Turborepo plans from: the root and every workspace's package.json and turbo.json, and the content. */
function planningCopy(): string {
  const work = mkdtempSync(path.join(os.tmpdir(), "atrc-turbo-"));
  for (const file of ["package.json", "package-lock.json", "turbo.json"])
    cpSync(path.join(REPO, file), path.join(work, file));
  for (const group of ["apps", "packages"]) {
    for (const name of readdirSync(path.join(REPO, group))) {
      for (const file of ["package.json", "turbo.json"]) {
        const from = path.join(REPO, group, name, file);
        if (!existsSync(from)) continue;
        mkdirSync(path.join(work, group, name), { recursive: true });
        cpSync(from, path.join(work, group, name, file));
      }
    }
  }
  cpSync(path.join(REPO, "content"), path.join(work, "content"), { recursive: true });
  return work;
}

/** Each `@atrc/site` task's hash in a dry run of `npm run build`'s plan. */
function siteHashes(work: string): Map<string, string> {
  const output = execFileSync(
    path.join(REPO, "node_modules/.bin/turbo"),
    ["run", "build", "--filter=@atrc/site", "--dry=json"],
    { cwd: work, encoding: "utf8", env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" }, stdio: "pipe" },
  );
  const plan = JSON.parse(output) as { tasks: { taskId: string; hash: string }[] };
  return new Map(
    plan.tasks
      .filter((task) => task.taskId.startsWith("@atrc/site#"))
      .map((task) => [task.taskId.slice("@atrc/site#".length), task.hash]),
  );
}

describe("the publish pipeline's cache keys", () => {
  it("change for every cached site stage when a bulletin changes", () => {
    const work = planningCopy();
    const before = siteHashes(work);
    expect([...before.keys()].sort()).toEqual(["build", "content:publish", "site:build"]);
    appendFileSync(path.join(work, "content/bulletins/2023-03-3cx/en.md"), "\nOne more sentence.\n");
    const after = siteHashes(work);
    for (const stage of ["content:publish", "site:build"])
      expect(after.get(stage), stage).not.toBe(before.get(stage));
  });
});
