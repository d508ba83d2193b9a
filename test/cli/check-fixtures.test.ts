import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const fixtures = fileURLToPath(new URL("../fixtures/bulletins", import.meta.url));
const cases = readdirSync(fixtures).sort();

/** Run the built CLI as an analyst would, from the repository root. */
async function atrc(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["apps/cli/bin/atrc.js", ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe.concurrent("atrc check on the broken-bulletin fixtures", () => {
  it("has a fixture for every case the suite names", () => {
    expect(cases).toContain("valid");
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  it.for(cases)("prints the exact diagnostics for `%s`", async (name, { expect }) => {
    const { code, stdout, stderr } = await atrc("check", `test/fixtures/bulletins/${name}`);
    await expect(`exit ${code}\n${stdout}${stderr}`).toMatchFileSnapshot(
      `../fixtures/bulletins/${name}/expected.txt`,
    );
    expect(code).toBe(/✖ \d+ errors?/.test(stderr) ? 1 : 0);
  });
});
