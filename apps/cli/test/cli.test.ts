import { mkdtemp, readFile, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";
import { memoryIo } from "./helpers.js";

const repo = fileURLToPath(new URL("../../..", import.meta.url));

describe("atrc", () => {
  it("lists every command in --help", async () => {
    const io = memoryIo(repo);
    expect(await main(["--help"], io)).toBe(0);
    for (const name of ["check", "new", "extract", "defang", "refang"])
      expect(io.out()).toContain(`  ${name} `);
  });

  it("gives every command its own --help", async () => {
    for (const name of ["check", "new", "extract", "defang", "refang"]) {
      const io = memoryIo(repo);
      expect(await main([name, "--help"], io)).toBe(0);
      expect(io.out()).toMatch(new RegExp(`^Usage: atrc ${name}`));
    }
  });

  it("rejects an unknown command and an unknown option in one line, with exit 2", async () => {
    const io = memoryIo(repo);
    expect(await main(["chek"], io)).toBe(2);
    expect(io.err()).toBe("atrc: unknown command `chek`. Run `atrc --help` for the list.\n");
    const io2 = memoryIo(repo);
    expect(await main(["check", "--fromat", "json"], io2)).toBe(2);
    expect(io2.err().split("\n")).toHaveLength(2);
    expect(io2.err()).toMatch(/^atrc check: Unknown option '--fromat'/);
  });
});

describe("atrc check", () => {
  it("passes on the bundled content with 22 indicators", async () => {
    const io = memoryIo(repo);
    expect(await main(["check"], io)).toBe(0);
    expect(io.err()).toBe("✔ 1 bulletin checked, 22 indicators valid.\n");
  });

  it("prints diagnostics as JSON for tooling", async () => {
    const io = memoryIo(repo);
    expect(await main(["check", "--format", "json", "test/fixtures/bulletins/ioc-duplicate"], io)).toBe(1);
    const report = JSON.parse(io.out()) as {
      diagnostics: { ruleId: string; line: number }[];
      summary: { errors: number };
    };
    expect(report.summary.errors).toBe(2);
    expect(report.diagnostics.map((d) => d.ruleId)).toEqual(["ioc-duplicate", "ioc-duplicate"]);
  });

  it("says so in one line when a path does not exist", async () => {
    const io = memoryIo(repo);
    expect(await main(["check", "no/such/folder"], io)).toBe(1);
    expect(io.err()).toMatch(/^atrc check: No such file or folder: .*no\/such\/folder\n$/);
  });

  it("allows non-public TLP with --private", async () => {
    const io = memoryIo(repo);
    expect(await main(["check", "--private", "test/fixtures/bulletins/tlp-not-public"], io)).toBe(0);
  });

  it("lists the rules", async () => {
    const io = memoryIo(repo);
    expect(await main(["check", "--rules"], io)).toBe(0);
    expect(io.out()).toMatch(/^ioc-live +error +An indicator is written live/m);
  });
});

describe("atrc new", () => {
  it("scaffolds both languages with the next free id, which check accepts but for the fields to fill", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "atrc-new-"));
    const existing = path.join(dir, "content/bulletins/2024-01-old");
    await mkdir(existing, { recursive: true });
    await writeFile(path.join(existing, "es.md"), "---\nid: ATRC-2024-007\n---\n");
    const io = memoryIo(dir);
    expect(await main(["new", "lockbit-esxi", "--date", "2024-05-02"], io)).toBe(0);
    expect(io.out()).toBe(
      "content/bulletins/2024-05-lockbit-esxi/es.md\ncontent/bulletins/2024-05-lockbit-esxi/en.md\n",
    );
    const es = await readFile(path.join(dir, "content/bulletins/2024-05-lockbit-esxi/es.md"), "utf8");
    expect(es).toContain("id: ATRC-2024-008\n");
    expect(es).toContain("published: 2024-05-02\n");

    const check = memoryIo(dir);
    expect(await main(["check", "content/bulletins/2024-05-lockbit-esxi"], check)).toBe(1);
    const rules = [...check.err().matchAll(/ (?:error|warning) .*? {2}([a-z-]+)$/gm)].map((m) => m[1]);
    // Only the fields left to fill: title and summary, in each language.
    expect(new Set(rules)).toEqual(new Set(["frontmatter-missing-field"]));
    expect(check.err()).toContain("Unexpected missing `title`");
    expect(check.err()).toContain("Unexpected missing `summary`");
  });

  it("refuses a slug that is not kebab-case and an existing folder", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "atrc-new-"));
    expect(await main(["new", "Bad Slug"], memoryIo(dir))).toBe(2);
    expect(await main(["new", "ok", "--date", "2024-05-02"], memoryIo(dir))).toBe(0);
    const io = memoryIo(dir);
    expect(await main(["new", "ok", "--date", "2024-05-02"], io)).toBe(1);
    expect(io.err()).toContain("already exists");
  });
});

describe("atrc extract", () => {
  const report = `Sophos saw callbacks to akamaicontainer[.]com and https://pbxsources.com/exchange.
Payload SHA-256: 59E1EDF4D82FAE4978E97512B0331B7EB21DD4B838B850BA46794D9C7A2C0983 (ffmpeg.dll).
The repo at github.com/IconStorages/images and github.com itself; contact philip.je@proton.me. See CVE-2023-29059.
Again: https://pbxsources.com/exchange.`;

  it("prints a typed, deduplicated, defanged Markdown table and warns about legitimate hosts", async () => {
    const io = memoryIo(repo, report);
    expect(await main(["extract", "-"], io)).toBe(0);
    expect(io.out()).toMatchInlineSnapshot(`
      "| Tipo    | Indicador                                                        | Descripción |
      | ------- | ---------------------------------------------------------------- | ----------- |
      | URL     | hxxps://github[.]com/IconStorages/images                         |             |
      | URL     | hxxps://pbxsources[.]com/exchange                                |             |
      | Domain  | akamaicontainer[.]com                                            |             |
      | Email   | philip.je[@]proton[.]me                                          |             |
      | SHA-256 | 59e1edf4d82fae4978e97512b0331b7eb21dd4b838b850ba46794d9c7a2c0983 |             |
      "
    `);
    expect(io.err()).toContain("skipped `github[.]com`");
    expect(io.err()).toContain("CVE ids mentioned: CVE-2023-29059");
  });

  it("writes an English header with --lang en and reads files", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "atrc-extract-"));
    await writeFile(path.join(dir, "report.txt"), "C2 at 203.0.113.7\n");
    const io = memoryIo(dir);
    expect(await main(["extract", "report.txt", "--lang", "en"], io)).toBe(0);
    expect(io.out().split("\n")[0]).toMatch(/^\| Type +\| Indicator +\| Description +\|$/);
    expect(io.out()).toContain("203[.]0[.]113[.]7");
  });

  it("explains a missing file and a file that is not UTF-8 in one line", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "atrc-extract-"));
    await writeFile(path.join(dir, "latin1.txt"), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const missing = memoryIo(dir);
    expect(await main(["extract", "nope.txt"], missing)).toBe(1);
    expect(missing.err()).toBe("atrc extract: No such file: nope.txt\n");
    const latin1 = memoryIo(dir);
    expect(await main(["extract", "latin1.txt"], latin1)).toBe(1);
    expect(latin1.err()).toBe("atrc extract: latin1.txt is not UTF-8 text; re-save it as UTF-8\n");
  });
});

describe("atrc defang and refang", () => {
  it("defangs every occurrence and keeps the rest byte for byte", async () => {
    const io = memoryIo(
      repo,
      "C2: https://evil.example.com/x, again https://evil.example.com/x\nmail bob@evil.example.com\n",
    );
    expect(await main(["defang"], io)).toBe(0);
    expect(io.out()).toBe(
      "C2: hxxps://evil[.]example[.]com/x, again hxxps://evil[.]example[.]com/x\nmail bob[@]evil[.]example[.]com\n",
    );
  });

  it("refangs what defang wrote", async () => {
    const io = memoryIo(repo, "C2: hxxps://evil[.]example[.]com/x and httxs://pbxsources[.]com/exchange\n");
    expect(await main(["refang"], io)).toBe(0);
    expect(io.out()).toBe("C2: https://evil.example.com/x and https://pbxsources.com/exchange\n");
  });
});
