import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classify, extract } from "../src/index.js";

// The first ATRc bulletin (3CX supply-chain compromise, March 2023), as the analyst wrote it.
const seed = readFileSync(new URL("fixtures/3cx-es.txt", import.meta.url), "utf8");

// Its "Indicadores de Compromiso" table, copied verbatim.
const IOC_TABLE = `URL | github[.]com/IconStorages/images |
cliego.garcia@proton[.]me | |
philip.je@proton[.]me | |
SHA-1 | cad1120d91b812acafef7175f949dd1b09c6c21a |
SHA-1 | bf939c9c261d27ee7bb92325cc588624fca75429 |
SHA-1 | 20d554a80d759c50d6537dd7097fed84dd258b3e |
URI | httxs://akamaitechcloudservices[.]com/v2/storage |
URI | httxs://azureonlinestorage[.]com/azure/storage |
URI | httxs://msedgepackageinfo[.]com/microsoft-edge |
URI | httxs://glcloudservice[.]com/v1/console |
URI | httxs://pbxsources[.]com/exchange |
URI | httxs://msstorageazure[.]com/window |
URI | httxs://officestoragebox[.]com/api/session |
URI | httxs://visualstudiofactory[.]com/workload |
URI | httxs://azuredeploystore[.]com/cloud/services |
URI | httxs://msstorageboxes[.]com/office |
URI | httxs://officeaddons[.]com/technologies |
URI | httxs://sourceslabs[.]com/downloads |
URI | httxs://zacharryblogs[.]com/feed |
URI | httxs://pbxcloudeservices[.]com/phonesystem |
URI | httxs://pbxphonenetwork[.]com/voip |
URI | httxs://msedgeupdate[.]net/Windows |`;

const C2_URLS = [
  "https://akamaitechcloudservices.com/v2/storage",
  "https://azureonlinestorage.com/azure/storage",
  "https://msedgepackageinfo.com/microsoft-edge",
  "https://glcloudservice.com/v1/console",
  "https://pbxsources.com/exchange",
  "https://msstorageazure.com/window",
  "https://officestoragebox.com/api/session",
  "https://visualstudiofactory.com/workload",
  "https://azuredeploystore.com/cloud/services",
  "https://msstorageboxes.com/office",
  "https://officeaddons.com/technologies",
  "https://sourceslabs.com/downloads",
  "https://zacharryblogs.com/feed",
  "https://pbxcloudeservices.com/phonesystem",
  "https://pbxphonenetwork.com/voip",
  "https://msedgeupdate.net/Windows",
];

const EXPECTED = [
  "url https://github.com/IconStorages/images",
  "email cliego.garcia@proton.me",
  "email philip.je@proton.me",
  "sha1 cad1120d91b812acafef7175f949dd1b09c6c21a",
  "sha1 bf939c9c261d27ee7bb92325cc588624fca75429",
  "sha1 20d554a80d759c50d6537dd7097fed84dd258b3e",
  ...C2_URLS.map((url) => `url ${url}`),
];

const REFERENCES = [
  "https://www.3cx.com/blog/news/desktopapp-security-alert-updates/",
  "https://www.reddit.com/r/crowdstrike/comments/125r3uu/20230329_situational_awareness_crowdstrike/",
  "https://www.crowdstrike.com/blog/crowdstrike-detects-and-prevents-active-intrusion-campaign-targeting-3cxdesktopapp-customers/",
  "https://www.todyl.com/blog/post/threat-advisory-3cx-softphone-telephony-campaign",
  "https://s1.ai/smoothoperator",
  "https://www.3cx.com/community/threads/threat-alerts-from-sentinelone-for-desktop-update-initiated-from-desktop-client.119806/post-558710",
  "https://www.3cx.com/community/threads/3cx-desktop-app-vulnerability-security-group-contact.119930/",
  "https://www.3cx.com/community/threads/crowdstrike-endpoint-security-detection-re-3cx-desktop-app.119934/#post-558726",
  "https://github.com/Neo23x0/signature-base/blob/master/yara/gen_mal_3cx_compromise_mar23.yar",
  "https://otx.alienvault.com/pulse/64249206b02aa3531a78d020",
  "https://cyberplace.social/@GossiTheDog/110108640236492867",
  "https://twitter.com/patrickwardle/status/1641294247877021696",
  "https://objective-see.org/blog/blog_0x73.html",
  "https://www.volexity.com/blog/2023/03/30/3cx-supply-chain-compromise-leads-to-iconic-incident/",
];

describe("the 3CX bulletin", () => {
  it("yields exactly the 22 indicators of its IOC table: 17 URLs, 2 e-mail addresses, 3 SHA-1", () => {
    const result = extract(IOC_TABLE);
    expect(result.map((indicator) => `${indicator.type} ${indicator.value}`)).toEqual(EXPECTED);
    expect(result.filter((indicator) => indicator.type === "url")).toHaveLength(17);
    expect(result.filter((indicator) => indicator.type === "email")).toHaveLength(2);
    expect(result.filter((indicator) => indicator.type === "sha1")).toHaveLength(3);
  });

  it("reports every indicator of the table as not live, with its span as written", () => {
    const result = extract(IOC_TABLE);
    expect(result.every((indicator) => !indicator.fanged)).toBe(true);
    expect(IOC_TABLE.slice(result[0]?.start, result[0]?.end)).toBe("github[.]com/IconStorages/images");
    expect(IOC_TABLE.slice(result[6]?.start, result[6]?.end)).toBe(
      "httxs://akamaitechcloudservices[.]com/v2/storage",
    );
    expect(result[6]?.defanged).toBe("hxxps://akamaitechcloudservices[.]com/v2/storage");
  });

  it("yields the table's indicators (not live) and the live reference links from the whole text, nothing else", () => {
    const result = extract(seed);
    expect(result.map((indicator) => `${indicator.type} ${indicator.value}`)).toEqual([
      ...EXPECTED,
      ...REFERENCES.map((url) => `url ${url}`),
    ]);
    for (const indicator of result) {
      const isReference = REFERENCES.includes(indicator.value);
      expect(indicator.fanged, indicator.value).toBe(isReference);
      expect(seed.slice(indicator.start, indicator.end).length, indicator.value).toBeGreaterThan(0);
    }
  });

  it.each(["ffmpeg.dll", "d3dcompiler_47.dll", "3CXDesktopApp.exe", "242.519", "12.000.000", "600.000"])(
    "does not take `%s` as an indicator",
    (text) => {
      expect(seed).toContain(text);
      expect(extract(seed).some((indicator) => indicator.value.includes(text.toLowerCase()))).toBe(false);
      expect(extract(`el archivo ${text} fue`)).toEqual([]);
      expect(classify(text)).toBeNull();
    },
  );
});
