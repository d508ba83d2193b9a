import { describe, expect, it } from "vitest";
import { extract } from "../src/index.js";

/** `type value` of every indicator found, in order. */
const found = (text: string) => extract(text).map((indicator) => `${indicator.type} ${indicator.value}`);

describe("extract", () => {
  it("reports value, defanged form, span as written and whether it was live", () => {
    const text = "C2: httxs://pbxsources[.]com/exchange, y también evil.com.";
    expect(extract(text)).toEqual([
      {
        type: "url",
        value: "https://pbxsources.com/exchange",
        defanged: "hxxps://pbxsources[.]com/exchange",
        start: 4,
        end: 37,
        fanged: false,
      },
      { type: "domain", value: "evil.com", defanged: "evil[.]com", start: 49, end: 57, fanged: true },
    ]);
    expect(text.slice(4, 37)).toBe("httxs://pbxsources[.]com/exchange");
  });

  it("gives spans over the text as written, spaced notations included", () => {
    const text = "dominio: evil [.] com y mail user [at] evil [dot] net";
    const [domain, email] = extract(text);
    expect(text.slice(domain?.start, domain?.end)).toBe("evil [.] com");
    expect(text.slice(email?.start, email?.end)).toBe("user [at] evil [dot] net");
    expect(email?.value).toBe("user@evil.net");
  });

  it("counts UTF-16 code units, so offsets after emoji and accents still point at the indicator", () => {
    const text = "🔥 versión crítica: evil[.]com";
    const [domain] = extract(text);
    expect(text.slice(domain?.start, domain?.end)).toBe("evil[.]com");
  });

  it("marks hashes and CVE ids as never live", () => {
    expect(
      extract("cad1120d91b812acafef7175f949dd1b09c6c21a CVE-2023-29059").map((indicator) => indicator.fanged),
    ).toEqual([false, false]);
  });

  it("deduplicates after normalisation, keeping the first occurrence", () => {
    const result = extract("EVIL.com y evil[.]com y Evil(dot)COM");
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ value: "evil.com", start: 0, end: 8, fanged: true });
  });

  it("trims trailing punctuation and closing quotes", () => {
    expect(
      found(
        "Ver https://evil.com/a. Luego «https://evil.com/b», (https://evil.com/c) y 'https://evil.com/d'!",
      ),
    ).toEqual([
      "url https://evil.com/a",
      "url https://evil.com/b",
      "url https://evil.com/c",
      "url https://evil.com/d",
    ]);
    expect(found("“evil.com”; evil.net: evil.org? evil.info!")).toEqual([
      "domain evil.com",
      "domain evil.net",
      "domain evil.org",
      "domain evil.info",
    ]);
  });

  it("keeps balanced parentheses inside a URL", () => {
    expect(found("see https://en.wikipedia.org/wiki/Lazarus_(group) and [x](https://evil.com/a)")).toEqual([
      "url https://en.wikipedia.org/wiki/Lazarus_(group)",
      "url https://evil.com/a",
    ]);
  });

  it("takes a host with a path and no scheme as a URL", () => {
    expect(found("URL | github[.]com/IconStorages/images |")).toEqual([
      "url https://github.com/IconStorages/images",
    ]);
    expect(found("descarga desde 192.0.2.1/payload.bin")).toEqual(["url https://192.0.2.1/payload.bin"]);
  });

  it("does not report the host of a URL or the domain of an e-mail address again as a domain", () => {
    expect(found("https://evil.com/x cliego.garcia@proton[.]me")).toEqual([
      "url https://evil.com/x",
      "email cliego.garcia@proton.me",
    ]);
  });

  it("reports a standalone domain that is also the host of a URL", () => {
    expect(found("evil[.]com y hxxps://evil[.]com/gate.php")).toEqual([
      "domain evil.com",
      "url https://evil.com/gate.php",
    ]);
  });

  it.each([
    ["version 1.2.3.4"],
    ["Version: 1.2.3.4"],
    ["versión 18.12.407.1"],
    ["versiones 1.2.3.4"],
    ["build 10.0.19041.1"],
    ["Build 10.0.0.1"],
    ["v1.2.3.4"],
    ["v 1.2.3.4"],
  ])("does not take the dotted number in `%s` as an IP", (text) => {
    expect(found(text)).toEqual([]);
  });

  it("still takes an IP after other words", () => {
    expect(found("server 1.2.3.4, revisión 5.6.7.8")).toEqual(["ipv4 1.2.3.4", "ipv4 5.6.7.8"]);
  });

  it("does not take CIDR ranges as IPs", () => {
    expect(found("bloquear 10.0.0.0/8, 192.168.0.0/16 y 2001:db8::/32.")).toEqual([]);
  });

  it("takes an IP with a port as the IP", () => {
    expect(found("conecta a 192.0.2.1:4444")).toEqual(["ipv4 192.0.2.1"]);
  });

  it("takes the host after a scheme it does not take as a URL", () => {
    expect(found("tcp://192.0.2.7:4444 y tcp://evil.com/x")).toEqual(["ipv4 192.0.2.7", "domain evil.com"]);
  });

  it("does not take sentence joins as domains", () => {
    expect(found("proceso de update.Download y luego servidor.Es importante")).toEqual([]);
    expect(found("update[.]Download")).toEqual(["domain update.download"]);
  });

  it("does not take file names as domains", () => {
    expect(
      found("ffmpeg.dll, d3dcompiler_47.dll, 3CXDesktopApp.exe, install.sh, Node.js, invoice.zip"),
    ).toEqual([]);
    expect(found("install[.]sh")).toEqual(["domain install.sh"]);
  });

  it("does not take C++ names, times or MAC addresses as IPv6", () => {
    expect(found("std::string, a las 10:30:00, 10:30, 00:1A:2B:3C:4D:5E, add::feed")).toEqual([]);
  });

  it("takes IPv6 addresses in any text form, with an embedded IPv4 tail", () => {
    expect(found("fe80::1, 2001:DB8:0:0:0:0:0:1 y ::ffff:192.0.2.1 y 2001[:]db8[:][:]2")).toEqual([
      "ipv6 fe80::1",
      "ipv6 2001:db8::1",
      "ipv6 ::ffff:192.0.2.1",
      "ipv6 2001:db8::2",
    ]);
  });

  it("does not take Spanish thousands or decimals as anything", () => {
    expect(
      found("242.519 sistemas, 12.000.000 de usuarios, 600.000 compañías, 3.14 y 1.000.000.000"),
    ).toEqual([]);
  });

  it("takes hashes only at their exact lengths, bounded by non-word characters", () => {
    const md5 = "d41d8cd98f00b204e9800998ecf8427e";
    expect(found(`${md5} ${"a".repeat(33)} x${md5} ${md5}_ (${md5.toUpperCase()})`)).toEqual([`md5 ${md5}`]);
    expect(found(`${"b".repeat(40)} ${"c".repeat(64)} ${"d".repeat(128)}`)).toEqual([
      `sha1 ${"b".repeat(40)}`,
      `sha256 ${"c".repeat(64)}`,
      `sha512 ${"d".repeat(128)}`,
    ]);
  });

  it("takes CVE ids in any case", () => {
    expect(found("cve-2023-29059 y CVE-2021-44228, no CVE-2023-123")).toEqual([
      "cve CVE-2023-29059",
      "cve CVE-2021-44228",
    ]);
  });

  it("finds indicators in Markdown tables and lists", () => {
    const text = [
      "| Tipo | Indicador |",
      "|---|---|",
      "| Dominio | `evil[.]com` |",
      "|IP|192[.]0[.]2[.]1|",
      "",
      "- `a[@]evil[.]net`",
      "* hxxp://x[.]org/a",
    ].join("\n");
    expect(found(text)).toEqual([
      "domain evil.com",
      "ipv4 192.0.2.1",
      "email a@evil.net",
      "url http://x.org/a",
    ]);
  });

  it("does not take an ellipsis or a handle before a name as part of it", () => {
    expect(found("...evil.com y @usuario.com")).toEqual(["domain evil.com"]);
  });

  it("takes IDN names and gives them in punycode", () => {
    expect(found("visita münchen.de")).toEqual(["domain xn--mnchen-3ya.de"]);
  });

  it("returns nothing for text without indicators", () => {
    expect(extract("")).toEqual([]);
    expect(extract("El ataque ha sido atribuido a Lazarus Group, APT38, de Corea del Norte.")).toEqual([]);
  });

  it("handles long texts in chunks without losing indicators at chunk borders", () => {
    const line = "relleno de texto sin indicadores, solo palabras y más palabras\n";
    const text = `${line.repeat(400)}evil[.]com\n${line.repeat(400)}hxxps://bad[.]net/x\n`;
    const result = extract(text);
    expect(result.map((indicator) => indicator.value)).toEqual(["evil.com", "https://bad.net/x"]);
    expect(result.map((indicator) => text.slice(indicator.start, indicator.end))).toEqual([
      "evil[.]com",
      "hxxps://bad[.]net/x",
    ]);
  });
});

describe("extract on adversarial input", () => {
  /** Processor time this process has used, in milliseconds (other processes on a busy machine do not count). */
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  /** The cheapest of five runs of each text, in processor milliseconds, the two texts taken in turn. */
  const cheapest = (small: string, large: string) => {
    const times = { small: Number.POSITIVE_INFINITY, large: Number.POSITIVE_INFINITY };
    for (let run = 0; run < 5; run++) {
      for (const size of ["small", "large"] as const) {
        const started = cpu();
        extract(size === "small" ? small : large);
        times[size] = Math.min(times[size], cpu() - started);
      }
    }
    return times;
  };
  // Work grows with the text, not with its square: eight times the text costs about eight times as much (up to
  // twenty here, where a run of backslash dots is scanned again in part), where backtracking over the whole text
  // would cost about sixty-four. Compared within the test, in processor time, rather than as wall-clock time against
  // a fixed limit, which a busy machine (CI running several packages' tests at once on two cores) missed.
  it.each([
    ["closing parentheses after a URL", "http://a.com/", ")", 50_000],
    ["backslash dots", "", "a\\.", 30_000],
    ["dotted runs", "", "a.", 50_000],
    ["dotted numbers", "", "1.", 50_000],
    ["colons", "", "a:", 50_000],
    ["at-signs", "", "x.y@z.", 20_000],
    ["bracketed dots", "", "[.]", 30_000],
    ["hex", "", "a", 100_000],
  ])("stays linear on %s", (_name, start, unit, count) => {
    const { small, large } = cheapest(`${start}${unit.repeat(count / 8)}`, `${start}${unit.repeat(count)}`);
    // (A floor of 5 ms keeps the clock's resolution and the odd garbage collection out of the ratio for the inputs
    // that cost next to nothing.)
    expect(large).toBeLessThan(Math.max(small, 5) * 32);
  });
});
