import { describe, expect, it } from "vitest";
import { defang, refang } from "../src/index.js";

describe("defang", () => {
  it.each([
    ["https://evil.com/a.php?x=1", "hxxps://evil[.]com/a.php?x=1"],
    ["http://evil.com", "hxxp://evil[.]com"],
    ["ftp://files.evil.com/a.zip", "fxp://files[.]evil[.]com/a.zip"],
    ["https://user:pw@evil.com:8443/x", "hxxps://user:pw[@]evil[.]com:8443/x"],
    ["http://192.0.2.1/a", "hxxp://192[.]0[.]2[.]1/a"],
    ["http://[2001:db8::1]:8080/a", "hxxp://[2001[:]db8[:][:]1]:8080/a"],
    ["https://evil.com/r?u=https://next.example/x", "hxxps://evil[.]com/r?u=hxxps://next.example/x"],
  ])("defangs the URL `%s` (host dots only, path dots stay)", (input, expected) => {
    expect(defang(input)).toBe(expected);
  });

  it.each([
    ["evil.com", "evil[.]com"],
    ["192.0.2.1", "192[.]0[.]2[.]1"],
    ["2001:db8::1", "2001[:]db8[:][:]1"],
    ["::ffff:192.0.2.1", "[:][:]ffff[:]192[.]0[.]2[.]1"],
    ["cliego.garcia@proton.me", "cliego.garcia[@]proton[.]me"],
    ["github.com/IconStorages/images", "github[.]com/IconStorages/images"],
  ])("defangs `%s`", (input, expected) => {
    expect(defang(input)).toBe(expected);
  });

  it.each([["cad1120d91b812acafef7175f949dd1b09c6c21a"], ["CVE-2023-29059"]])(
    "returns the hash or CVE id `%s` unchanged",
    (value) => {
      expect(defang(value)).toBe(value);
    },
  );

  it("defangs already defanged input once, not twice", () => {
    expect(defang("httxs://pbxsources[.]com/exchange")).toBe("hxxps://pbxsources[.]com/exchange");
    expect(defang(defang("evil.com"))).toBe("evil[.]com");
  });

  it("defangs anything unrecognised on every dot and at-sign, so nothing live survives", () => {
    expect(defang("not a thing.example@x")).toBe("not a thing[.]example[@]x");
  });

  it("round-trips through refang for canonical values", () => {
    for (const value of [
      "https://evil.com/a.php",
      "evil.com",
      "1.2.3.4",
      "2001:db8::1",
      "a.b@evil.com",
      "CVE-2023-29059",
    ]) {
      expect(refang(defang(value))).toBe(value);
    }
  });
});
