import { describe, expect, it } from "vitest";
import { IOC_TYPES } from "../src/index.js";

describe("@atrc/ioc", () => {
  it("exports a stable API", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
      "BENIGN_HOSTS",
      "IOC_TYPES",
      "classify",
      "defang",
      "extract",
      "hostOf",
      "isBenignHost",
      "refang",
      "validate",
    ]);
  });

  it("lists the indicator types in export order", () => {
    expect(IOC_TYPES).toEqual([
      "url",
      "domain",
      "ipv4",
      "ipv6",
      "email",
      "md5",
      "sha1",
      "sha256",
      "sha512",
      "cve",
    ]);
  });

  it("freezes the list of types", () => {
    expect(Object.isFrozen(IOC_TYPES)).toBe(true);
  });
});
