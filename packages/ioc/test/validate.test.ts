import { describe, expect, it } from "vitest";
import { type IocType, validate } from "../src/index.js";

const ok = (value: string) => ({ ok: true, value });
const bad = (reason: string) => ({ ok: false, reason });

describe("validate", () => {
  describe("hashes", () => {
    it("lower-cases hex of the exact length", () => {
      expect(validate("md5", "D41D8CD98F00B204E9800998ECF8427E")).toEqual(
        ok("d41d8cd98f00b204e9800998ecf8427e"),
      );
      expect(validate("sha1", " cad1120d91b812acafef7175f949dd1b09c6c21a ")).toEqual(
        ok("cad1120d91b812acafef7175f949dd1b09c6c21a"),
      );
      expect(validate("sha256", "E".repeat(64))).toEqual(ok("e".repeat(64)));
      expect(validate("sha512", "0".repeat(128))).toEqual(ok("0".repeat(128)));
    });

    it("says how many characters a short hash has", () => {
      expect(validate("sha1", "cad1120d91b812acafef7175f949dd1b09c6c21")).toEqual(
        bad("Expected 40 hexadecimal characters for a SHA-1, found 39"),
      );
      expect(validate("md5", "a".repeat(40))).toEqual(
        bad("Expected 32 hexadecimal characters for a MD5, found 40"),
      );
    });

    it("names the first character that is not hexadecimal", () => {
      expect(validate("sha256", `${"a".repeat(63)}g`)).toEqual(
        bad("Expected only hexadecimal characters (0-9, a-f) for a SHA-256, found `g`"),
      );
    });
  });

  describe("CVE ids", () => {
    it("upper-cases a year and four or more digits", () => {
      expect(validate("cve", "cve-2023-29059")).toEqual(ok("CVE-2023-29059"));
      expect(validate("cve", "CVE-2021-44228")).toEqual(ok("CVE-2021-44228"));
      expect(validate("cve", "CVE-2024-0001")).toEqual(ok("CVE-2024-0001"));
    });

    it("refuses a short sequence or year", () => {
      expect(validate("cve", "CVE-2023-123")).toEqual(
        bad(
          "Expected a CVE id like `CVE-2023-29059` (a 4-digit year, then 4 or more digits), found `CVE-2023-123`",
        ),
      );
      expect(validate("cve", "CVE-23-1234").ok).toBe(false);
    });
  });

  describe("IPv4", () => {
    it("accepts four decimal octets", () => {
      expect(validate("ipv4", "192.0.2.1")).toEqual(ok("192.0.2.1"));
      expect(validate("ipv4", "0.0.0.0")).toEqual(ok("0.0.0.0"));
      expect(validate("ipv4", "255.255.255.255")).toEqual(ok("255.255.255.255"));
      expect(validate("ipv4", "192[.]0[.]2[.]1")).toEqual(ok("192.0.2.1"));
    });

    it("refuses leading zeros, which some resolvers read as octal", () => {
      expect(validate("ipv4", "010.0.0.1")).toEqual(
        bad("Expected IPv4 octets without leading zeros, found `010`"),
      );
    });

    it("refuses octets above 255 and the wrong number of octets", () => {
      expect(validate("ipv4", "256.0.0.1")).toEqual(bad("Expected IPv4 octets from 0 to 255, found 256"));
      expect(validate("ipv4", "1.2.3")).toEqual(
        bad("Expected 4 dot-separated decimal octets for an IPv4 address, found 3"),
      );
      expect(validate("ipv4", "1.2.3.4.5").ok).toBe(false);
      expect(validate("ipv4", "0x7f.0.0.1")).toEqual(
        bad("Expected IPv4 octets of 1 to 3 decimal digits, found `0x7f`"),
      );
    });
  });

  describe("IPv6", () => {
    it.each([
      ["2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
      ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
      ["2001:db8::0:1", "2001:db8::1"],
      ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
      ["0:0:0:0:0:0:0:0", "::"],
      ["::1", "::1"],
      ["fe80::", "fe80::"],
      ["::ffff:192.0.2.1", "::ffff:192.0.2.1"],
      ["::FFFF:c000:0201", "::ffff:192.0.2.1"],
      ["64:ff9b::192.0.2.33", "64:ff9b::c000:221"],
      ["1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"],
      ["2001[:]db8[:][:]1", "2001:db8::1"],
    ])("formats `%s` as RFC 5952 `%s`", (input, expected) => {
      expect(validate("ipv6", input)).toEqual(ok(expected));
    });

    it.each([
      ["1:2:3:4:5:6:7", "Expected 8 groups in an IPv6 address without `::`, found 7"],
      ["1::2::3", "Expected at most one `::` in an IPv6 address, found 2"],
      ["12345::", "Expected IPv6 groups of 1 to 4 hexadecimal digits, found `12345`"],
      ["fe80::1%eth0", "Expected an IPv6 address without a zone id, found `%eth0`"],
      ["1:2:3:4:5:6:7:8::", "Expected at most 7 groups around `::` in an IPv6 address, found 8"],
      [":1:2:3:4:5:6:7", "Expected IPv6 groups of 1 to 4 hexadecimal digits, found an empty group"],
      ["::1.2.3", "Expected 4 dot-separated decimal octets for an IPv4 address, found 3"],
      ["std::string", "Expected IPv6 groups of 1 to 4 hexadecimal digits, found `std`"],
      ["10:30:00", "Expected 8 groups in an IPv6 address without `::`, found 3"],
    ])("refuses `%s`", (input, reason) => {
      expect(validate("ipv6", input)).toEqual(bad(reason));
    });
  });

  describe("domains", () => {
    it("lower-cases and refangs", () => {
      expect(validate("domain", "Evil[.]COM")).toEqual(ok("evil.com"));
      expect(validate("domain", "a.b.co.uk")).toEqual(ok("a.b.co.uk"));
    });

    it("converts IDN labels to punycode A-labels", () => {
      expect(validate("domain", "münchen.de")).toEqual(ok("xn--mnchen-3ya.de"));
      expect(validate("domain", "bücher.example.com")).toEqual(ok("xn--bcher-kva.example.com"));
      expect(validate("domain", "пример.рф")).toEqual(ok("xn--e1afmkfd.xn--p1ai"));
    });

    it("refuses unknown TLDs and file names", () => {
      expect(validate("domain", "ffmpeg.dll")).toEqual(
        bad("Expected a domain ending in a known public suffix, found `.dll`"),
      );
      expect(validate("domain", "host.local").ok).toBe(false);
    });

    it("refuses a public suffix on its own", () => {
      expect(validate("domain", "co.uk")).toEqual(
        bad("Expected a registrable domain, found the public suffix `co.uk` itself"),
      );
    });

    it("enforces the LDH rule and label lengths", () => {
      expect(validate("domain", "d3dcompiler_47.com")).toEqual(
        bad("Expected only letters, digits, hyphens and dots in a domain name, found `_`"),
      );
      expect(validate("domain", "-evil.com")).toEqual(
        bad("Expected domain labels not to start or end with a hyphen, found `-evil`"),
      );
      expect(validate("domain", `${"a".repeat(64)}.com`)).toEqual(
        bad("Expected domain labels of 1 to 63 characters, found one of 64"),
      );
      expect(validate("domain", `${"a".repeat(63)}.com`).ok).toBe(true);
      expect(validate("domain", "evil..com")).toEqual(
        bad("Expected domain labels of 1 to 63 characters, found an empty label in `evil..com`"),
      );
      expect(validate("domain", "evil.com.")).toEqual(
        bad("Expected domain labels of 1 to 63 characters, found an empty label in `evil.com.`"),
      );
      expect(validate("domain", `${"a.".repeat(126)}com`).ok).toBe(false);
      expect(validate("domain", "com")).toEqual(
        bad("Expected a domain name with at least two labels, found `com`"),
      );
      expect(validate("domain", "")).toEqual(bad("Expected a domain name, found an empty string"));
    });

    it("refuses an IP address as a domain", () => {
      expect(validate("domain", "1.2.3.4")).toEqual(
        bad("Expected a domain name ending in a letter label, found `1.2.3.4`"),
      );
    });
  });

  describe("e-mail addresses", () => {
    it("keeps the local part as written and canonicalises the domain", () => {
      expect(validate("email", "Cliego.Garcia@Proton[.]ME")).toEqual(ok("Cliego.Garcia@proton.me"));
      expect(validate("email", "philip.je[@]proton[.]me")).toEqual(ok("philip.je@proton.me"));
      expect(validate("email", "a+tag@münchen.de")).toEqual(ok("a+tag@xn--mnchen-3ya.de"));
    });

    it("refuses anything but one at-sign and a dot-atom local part", () => {
      expect(validate("email", "a@b@evil.com")).toEqual(
        bad("Expected one `@` in an e-mail address, found 2"),
      );
      expect(validate("email", "evil.com")).toEqual(bad("Expected one `@` in an e-mail address, found 0"));
      expect(validate("email", ".a@evil.com")).toEqual(
        bad("Expected a dot-atom local part (RFC 5322), found `.a`"),
      );
      expect(validate("email", "a..b@evil.com").ok).toBe(false);
      expect(validate("email", `${"a".repeat(65)}@evil.com`)).toEqual(
        bad("Expected a local part of 1 to 64 characters before the `@`, found 65"),
      );
      expect(validate("email", "a@evil.dll")).toEqual(
        bad("Expected a domain ending in a known public suffix, found `.dll`"),
      );
    });
  });

  describe("URLs", () => {
    it("lower-cases the scheme and host and keeps the rest byte for byte", () => {
      expect(validate("url", "HTTPS://Evil.COM/Path/A.php?Q=1#Frag")).toEqual(
        ok("https://evil.com/Path/A.php?Q=1#Frag"),
      );
      expect(validate("url", "httxs://msedgeupdate[.]net/Windows")).toEqual(
        ok("https://msedgeupdate.net/Windows"),
      );
    });

    it("adds https:// to a host with a path", () => {
      expect(validate("url", "github[.]com/IconStorages/images")).toEqual(
        ok("https://github.com/IconStorages/images"),
      );
    });

    it("canonicalises IPv4, IPv6 and IDN hosts and the port", () => {
      expect(validate("url", "http://192.0.2.1:8080/a")).toEqual(ok("http://192.0.2.1:8080/a"));
      expect(validate("url", "http://[2001:DB8:0::1]:0443/a")).toEqual(ok("http://[2001:db8::1]:443/a"));
      expect(validate("url", "https://münchen.de/straße")).toEqual(ok("https://xn--mnchen-3ya.de/straße"));
      expect(validate("url", "ftp://user:pw@files.evil.com/x")).toEqual(ok("ftp://user:pw@files.evil.com/x"));
    });

    it("refuses ports outside 1-65535", () => {
      expect(validate("url", "https://evil.com:0/")).toEqual(
        bad("Expected a port from 1 to 65535, found `0`"),
      );
      expect(validate("url", "https://evil.com:65536/")).toEqual(
        bad("Expected a port from 1 to 65535, found `65536`"),
      );
      expect(validate("url", "https://evil.com:65535/").ok).toBe(true);
      expect(validate("url", "https://evil.com:/").ok).toBe(false);
    });

    it("refuses other schemes, bad hosts and whitespace", () => {
      expect(validate("url", "gopher://evil.com/")).toEqual(
        bad("Expected a URL scheme of http, https or ftp, found `gopher`"),
      );
      expect(validate("url", "https:///path")).toEqual(
        bad("Expected a host after `https://`, found nothing"),
      );
      expect(validate("url", "https://evil.dll/x")).toEqual(
        bad("Expected a domain ending in a known public suffix, found `.dll`"),
      );
      expect(validate("url", "https://010.1.1.1/x")).toEqual(
        bad("Expected IPv4 octets without leading zeros, found `010`"),
      );
      expect(validate("url", "https://evil.com/a b")).toEqual(
        bad('Expected no whitespace or any of `"<>\\^`{|}` in a URL, found whitespace'),
      );
      expect(validate("url", "https://[::1/")).toEqual(
        bad("Expected a `]` after the IPv6 host of a URL, found `[::1`"),
      );
    });
  });

  it("throws a TypeError for an unknown type, and only then", () => {
    expect(() => validate("ip" as IocType, "1.2.3.4")).toThrow(
      new TypeError(
        "Expected `type` to be one of `url`, `domain`, `ipv4`, `ipv6`, `email`, `md5`, `sha1`, `sha256`, `sha512`, `cve`, not `ip`",
      ),
    );
    expect(() => validate("url", "\u0000<>")).not.toThrow();
  });
});
