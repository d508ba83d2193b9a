import { describe, expect, it } from "vitest";
import { BENIGN_HOSTS, type IocType, hostOf, isBenignHost } from "../src/index.js";

describe("BENIGN_HOSTS", () => {
  it("holds the well-known hosts of the brief", () => {
    const required = [
      "github.com",
      "raw.githubusercontent.com",
      "githubusercontent.com",
      "gitlab.com",
      "proton.me",
      "protonmail.com",
      "microsoft.com",
      "windows.com",
      "windowsupdate.com",
      "live.com",
      "office.com",
      "google.com",
      "googleapis.com",
      "gmail.com",
      "apple.com",
      "icloud.com",
      "amazon.com",
      "amazonaws.com",
      "cloudflare.com",
      "akamai.com",
      "dropbox.com",
      "twitter.com",
      "x.com",
      "facebook.com",
      "linkedin.com",
      "youtube.com",
      "reddit.com",
      "wikipedia.org",
      "mozilla.org",
      "virustotal.com",
      "3cx.com",
    ];
    for (const host of required) expect(BENIGN_HOSTS).toContain(host);
  });

  it("is frozen, lower case and sorted", () => {
    expect(Object.isFrozen(BENIGN_HOSTS)).toBe(true);
    expect(BENIGN_HOSTS.every((host) => host === host.toLowerCase())).toBe(true);
    expect([...BENIGN_HOSTS].sort()).toEqual(BENIGN_HOSTS);
  });
});

describe("isBenignHost", () => {
  it.each([
    "github.com",
    "www.github.com",
    "api.github[.]com",
    "GitHub.com",
    "raw.githubusercontent.com",
    "proton.me.",
    "3cx.com",
  ])("takes `%s` as benign", (host) => {
    expect(isBenignHost(host)).toBe(true);
  });

  it.each(["evilgithub.com", "github.com.evil.net", "pbxsources.com", "com", ""])(
    "does not take `%s` as benign",
    (host) => {
      expect(isBenignHost(host)).toBe(false);
    },
  );
});

describe("hostOf", () => {
  it("gives the host of a URL, the domain of an e-mail address and the domain itself", () => {
    expect(hostOf("url", "hxxps://raw.githubusercontent[.]com/a/b")).toBe("raw.githubusercontent.com");
    expect(hostOf("url", "github[.]com/IconStorages/images")).toBe("github.com");
    expect(hostOf("url", "https://user@Evil.com:8443/x")).toBe("evil.com");
    expect(hostOf("url", "http://[2001:db8::1]:80/")).toBe("2001:db8::1");
    expect(hostOf("url", "http://192.0.2.1/x")).toBe("192.0.2.1");
    expect(hostOf("email", "philip.je@proton[.]me")).toBe("proton.me");
    expect(hostOf("domain", "Evil[.]com")).toBe("evil.com");
  });

  it("gives null for addresses, hashes, CVE ids and invalid values", () => {
    expect(hostOf("ipv4", "192.0.2.1")).toBeNull();
    expect(hostOf("ipv6", "2001:db8::1")).toBeNull();
    expect(hostOf("sha1", "cad1120d91b812acafef7175f949dd1b09c6c21a")).toBeNull();
    expect(hostOf("cve", "CVE-2023-29059")).toBeNull();
    expect(hostOf("domain", "ffmpeg.dll")).toBeNull();
  });

  it("throws a TypeError for an unknown type", () => {
    expect(() => hostOf("host" as IocType, "evil.com")).toThrow(TypeError);
  });
});
