import { describe, expect, it } from "vitest";
import { downloadsIndexText, parseDownloadsIndex } from "../src/index.js";

const hex = (char: string) => char.repeat(64);

describe("the downloads index", () => {
  it("lists every download in path order and reads back what it wrote", () => {
    const downloads = new Map([
      ["pdf/atrc-2023-001-es.pdf", { size: 118_000, sha256: hex("a") }],
      ["SHA256SUMS", { size: 1_200, sha256: hex("b") }],
      ["iocs/all.csv", { size: 0, sha256: hex("c") }],
    ]);
    const text = downloadsIndexText(downloads);
    expect(text).toBe(
      `{"SHA256SUMS":{"size":1200,"sha256":"${hex("b")}"},\n` +
        `"iocs/all.csv":{"size":0,"sha256":"${hex("c")}"},\n` +
        `"pdf/atrc-2023-001-es.pdf":{"size":118000,"sha256":"${hex("a")}"}}\n`,
    );
    expect(downloadsIndexText(new Map([...downloads].reverse()))).toBe(text);
    expect([...parseDownloadsIndex(text)]).toEqual([...downloads].sort(([a], [b]) => (a < b ? -1 : 1)));
  });

  it("rejects an entry without a whole size or a SHA-256", () => {
    expect(() => parseDownloadsIndex('{"a.csv":{"size":1.5,"sha256":"' + hex("a") + '"}}')).toThrow(
      "Unexpected entry `a.csv` in the downloads index",
    );
    expect(() => parseDownloadsIndex('{"a.csv":{"size":1,"sha256":"ABC"}}')).toThrow(
      "Unexpected entry `a.csv` in the downloads index",
    );
  });
});
