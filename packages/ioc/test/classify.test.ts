import { describe, expect, it } from "vitest";
import { classify } from "../src/index.js";

describe("classify", () => {
  it.each([
    ["https://evil.com/a", "url"],
    ["httxs://akamaitechcloudservices[.]com/v2/storage", "url"],
    ["github[.]com/IconStorages/images", "url"],
    ["evil.com", "domain"],
    ["evil[.]com", "domain"],
    ["192.0.2.1", "ipv4"],
    ["192[.]0[.]2[.]1", "ipv4"],
    ["2001:db8::1", "ipv6"],
    ["2001[:]db8[:][:]1", "ipv6"],
    ["cliego.garcia@proton[.]me", "email"],
    ["d41d8cd98f00b204e9800998ecf8427e", "md5"],
    ["cad1120d91b812acafef7175f949dd1b09c6c21a", "sha1"],
    ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha256"],
    ["a".repeat(128), "sha512"],
    ["CVE-2023-29059", "cve"],
    ["cve-2023-29059", "cve"],
    ["  evil[.]com  ", "domain"],
  ])("classifies `%s` as %s", (value, type) => {
    expect(classify(value)).toBe(type);
  });

  it.each([
    ["ffmpeg.dll"],
    ["3CXDesktopApp.exe"],
    ["d3dcompiler_47.dll"],
    ["update.Download"],
    ["install.sh"],
    ["10.0.0.0/8"],
    ["std::string"],
    ["10:30:00"],
    ["242.519"],
    ["12.000.000"],
    ["SHA-1"],
    ["URL"],
    ["cad1120d91b812acafef7175f949dd1b09c6c21"],
    ["https://evil.dll/x"],
    ["gopher://evil.com/"],
    [""],
  ])("classifies `%s` as nothing", (value) => {
    expect(classify(value)).toBeNull();
  });

  it("takes a defanged name that reads like a file or a sentence join as a domain: its author marked it", () => {
    expect(classify("update[.]Download")).toBe("domain");
    expect(classify("install[.]sh")).toBe("domain");
  });
});
