import type { Bulletin } from "@atrc/bulletin";
import { beforeAll, describe, expect, it } from "vitest";
import { exportAll, toJson, toJsonExport, type JsonCollection } from "../src/index.js";
import { iocJsonSchema, loadThreeCx, makeBulletin, OPTIONS, text } from "./helpers.js";

let threeCx: Bulletin;
beforeAll(async () => {
  threeCx = await loadThreeCx();
});

describe("toJson", () => {
  it("gives 3CX JSON that validates against our JSON Schema", () => {
    const validate = iocJsonSchema();
    expect(validate(JSON.parse(toJson(threeCx, OPTIONS))), JSON.stringify(validate.errors)).toBe(true);
  });

  it("writes 2-space JSON with LF line ends and a final newline", () => {
    const json = toJson(threeCx, OPTIONS);
    expect(json).toBe(`${JSON.stringify(JSON.parse(json), null, 2)}\n`);
    expect(json).not.toContain("\r");
  });

  it("describes the bulletin with its page and PDF URLs in both languages", () => {
    expect(toJsonExport(threeCx, OPTIONS).bulletin).toMatchObject({
      id: "ATRC-2023-001",
      slug: "2023-03-3cx",
      revision: 1,
      title: {
        es: "Compromiso de la cadena de suministro de 3CX Desktop App",
        en: "3CX Desktop App supply chain compromise",
      },
      published: "2023-03-30",
      modified: "2023-03-30",
      tlp: "TLP:CLEAR",
      severity: "critical",
      url: {
        es: "https://atrc.example/es/boletines/2023-03-3cx/",
        en: "https://atrc.example/en/bulletins/2023-03-3cx/",
      },
      pdf: {
        es: "https://atrc.example/pdf/atrc-2023-001-es.pdf",
        en: "https://atrc.example/pdf/atrc-2023-001-en.pdf",
      },
      malware: ["SmoothOperator"],
    });
  });

  it("keeps the machine value refanged and the defanged form in its own field", () => {
    const email = toJsonExport(threeCx, OPTIONS).iocs.find((ioc) => ioc.type === "email");
    expect(email).toMatchObject({
      key: "email:cliego.garcia@proton.me",
      value: "cliego.garcia@proton.me",
      value_defanged: "cliego.garcia[@]proton[.]me",
      benign_host: true,
      to_ids: false,
      misp_type: "email",
    });
  });

  it("gives aggregated JSON that validates against the same schema", () => {
    const other = makeBulletin({
      id: "ATRC-2024-001",
      published: "2024-01-10",
      indicators: [{ type: "cve", value: "CVE-2023-29059" }],
    });
    const all = JSON.parse(text(exportAll([threeCx, other], OPTIONS).get("iocs/all.json"))) as JsonCollection;
    const validate = iocJsonSchema();
    expect(validate(all), JSON.stringify(validate.errors)).toBe(true);
    expect(all.bulletins.map((entry) => entry.bulletin.id)).toEqual(["ATRC-2024-001", "ATRC-2023-001"]);
    expect(all.bulletins[0]!.iocs[0]).toHaveProperty("stix_vulnerability_id");
    expect(all.bulletins[0]!.iocs[0]).not.toHaveProperty("stix_indicator_id");
  });

  it("omits the English title and URLs of a bulletin without a translation, and the schema accepts that", () => {
    const bulletin = makeBulletin({ english: false, indicators: [{ type: "ipv6", value: "2001:db8::1" }] });
    const json = toJsonExport(bulletin, OPTIONS);
    expect(json.bulletin.title).not.toHaveProperty("en");
    expect(json.bulletin.url).not.toHaveProperty("en");
    expect(json.iocs[0]!.description).toEqual({ es: "" });
    expect(iocJsonSchema()(JSON.parse(toJson(bulletin, OPTIONS)))).toBe(true);
  });

  it("makes the schema reject a document whose CVE claims a STIX indicator", () => {
    const bulletin = makeBulletin({ indicators: [{ type: "cve", value: "CVE-2023-29059" }] });
    const json = JSON.parse(toJson(bulletin, OPTIONS)) as { iocs: Record<string, unknown>[] };
    json.iocs[0]!.stix_indicator_id = "indicator--0d630185-00aa-5842-8674-8bb116f367f0";
    expect(iocJsonSchema()(json)).toBe(false);
  });
});
