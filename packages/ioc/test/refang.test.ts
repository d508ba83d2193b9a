import { describe, expect, it } from "vitest";
import { refang } from "../src/index.js";

describe("refang", () => {
  it.each([
    ["hxxp://evil.com", "http://evil.com"],
    ["hXXp://evil.com", "http://evil.com"],
    ["hxxps://evil.com", "https://evil.com"],
    ["HXXPS://evil.com", "https://evil.com"],
    ["httx://evil.com", "http://evil.com"],
    ["httxs://evil.com", "https://evil.com"],
    ["h**p://evil.com", "http://evil.com"],
    ["h**ps://evil.com", "https://evil.com"],
    ["fxp://files.evil.com", "ftp://files.evil.com"],
  ])("undoes the defanged scheme in `%s`", (input, expected) => {
    expect(refang(input)).toBe(expected);
  });

  it.each([
    ["hxxps[:]//evil.com", "https://evil.com"],
    ["hxxps[://]evil.com", "https://evil.com"],
    ["http(://)evil.com", "http://evil.com"],
    ["2001[:]db8[:][:]1", "2001:db8::1"],
    ["https://evil.com[/]gate[/]a.php", "https://evil.com/gate/a.php"],
  ])("undoes the separators in `%s`", (input, expected) => {
    expect(refang(input)).toBe(expected);
  });

  it.each([
    ["evil[.]com", "evil.com"],
    ["evil(.)com", "evil.com"],
    ["evil{.}com", "evil.com"],
    ["evil[dot]com", "evil.com"],
    ["evil(dot)com", "evil.com"],
    ["evil{dot}com", "evil.com"],
    ["evil[DOT]com", "evil.com"],
    ["evil[ . ]com", "evil.com"],
    ["evil [.] com", "evil.com"],
    ["evil\\.com", "evil.com"],
    ["evil[punto]com", "evil.com"],
    ["evil[PUNTO]com", "evil.com"],
    ["1[.]2[.]3[.]4", "1.2.3.4"],
  ])("undoes the dot in `%s`", (input, expected) => {
    expect(refang(input)).toBe(expected);
  });

  it.each([
    ["user[@]evil.com", "user@evil.com"],
    ["user(@)evil.com", "user@evil.com"],
    ["user{@}evil.com", "user@evil.com"],
    ["user[at]evil.com", "user@evil.com"],
    ["user(at)evil.com", "user@evil.com"],
    ["user [at] evil.com", "user@evil.com"],
    ["user[arroba]evil.com", "user@evil.com"],
  ])("undoes the at-sign in `%s`", (input, expected) => {
    expect(refang(input)).toBe(expected);
  });

  it("refangs every indicator in free text and leaves the rest byte for byte", () => {
    const text =
      "El C2 httxs://pbxsources[.]com/exchange y cliego.garcia@proton[.]me, según «SentinelOne».\n| URL | x |";
    expect(refang(text)).toBe(
      "El C2 https://pbxsources.com/exchange y cliego.garcia@proton.me, según «SentinelOne».\n| URL | x |",
    );
  });

  it.each([
    ["a bare word at", "we met at noon at the office"],
    ["a bare word dot", "dot com bubble"],
    ["the word hxxp without a separator", "the hxxp notation"],
    ["the word fxp", "FXP is a file exchange protocol"],
    ["a Markdown link", "[text](https://example.com/a) and [.](x)"],
    ["a Windows path", "..\\..\\Temp\\payload.exe and C:\\Windows\\.NET"],
    ["times", "10:30 and 10:30:00"],
    ["ellipses", "wait... and then… more"],
    ["a Spanish sentence", "Versión 18.12.407, a las 10:30; 12.000.000 de usuarios."],
  ])("never touches %s", (_name, text) => {
    expect(refang(text)).toBe(text);
  });

  it("undoes nested notations until nothing is left, so it is idempotent", () => {
    expect(refang("evil[[.]]com")).toBe("evil.com");
    expect(refang("evil\\[.]com")).toBe("evil.com");
    expect(refang(refang("hxxp[[:]]//x"))).toBe(refang("hxxp[[:]]//x"));
  });

  it("returns the same string when there is nothing to refang", () => {
    const text = "nada que hacer aquí";
    expect(refang(text)).toBe(text);
  });
});
