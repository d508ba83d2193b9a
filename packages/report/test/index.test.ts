import { VFile } from "vfile";
import { describe, expect, it } from "vitest";
import { formatReport, summarize, toDiagnostics } from "../src/index.js";

function sample(): VFile[] {
  const es = new VFile({ path: "content/bulletins/2023-03-3cx/es.md", value: "" });
  const m = es.message("Invalid SHA-1 `a4f5`: expected 40 hexadecimal characters, found 4", {
    place: { line: 42, column: 5 },
    ruleId: "ioc-invalid",
    source: "atrc",
  });
  m.fatal = true;
  m.note = "copy the full hash from the source report";
  const en = new VFile({ path: "content/bulletins/2023-03-3cx/en.md", value: "" });
  const w = en.message("Unexpected missing English translation", {
    place: { line: 3, column: 1 },
    ruleId: "tlp-missing",
  });
  w.fatal = false;
  return [en, es];
}

describe("@atrc/report", () => {
  it("exports a stable API", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
      "formatReport",
      "summarize",
      "toDiagnostics",
    ]);
  });

  it("prints compiler-style lines grouped by file, with hints and a summary", () => {
    expect(formatReport(sample(), { onError: "No files were written." })).toMatchInlineSnapshot(`
      "content/bulletins/2023-03-3cx/en.md:3:1 warning Unexpected missing English translation  tlp-missing
      content/bulletins/2023-03-3cx/es.md:42:5 error Invalid SHA-1 \`a4f5\`: expected 40 hexadecimal characters, found 4  ioc-invalid
        hint: copy the full hash from the source report
      ✖ 1 error, 1 warning. No files were written.
      "
    `);
  });

  it("prints nothing for clean files", () => {
    expect(formatReport([new VFile({ path: "a.md" })])).toBe("");
  });

  it("gives plain data for tooling", () => {
    const diagnostics = toDiagnostics(sample());
    expect(diagnostics[1]).toMatchObject({
      file: "content/bulletins/2023-03-3cx/es.md",
      line: 42,
      column: 5,
      severity: "error",
      ruleId: "ioc-invalid",
    });
    expect(summarize(diagnostics)).toEqual({ errors: 1, warnings: 1, files: 2 });
  });
});
