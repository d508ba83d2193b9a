import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { formatDate, formatNumber, getT, resources } from "../src/index.js";

describe("@atrc/i18n", () => {
  it("exports a stable API", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
      "INTL_LOCALES",
      "formatDate",
      "formatNumber",
      "getT",
      "resources",
    ]);
  });

  it("has the same keys in Spanish and English for every namespace", () => {
    for (const ns of ["common", "site", "pdf"] as const) {
      expect(Object.keys(resources.en[ns]).sort()).toEqual(Object.keys(resources.es[ns]).sort());
    }
  });

  it("leaves no string empty", () => {
    for (const locale of ["es", "en"] as const) {
      for (const [ns, strings] of Object.entries(resources[locale])) {
        for (const [key, value] of Object.entries(strings)) {
          expect(value.trim(), `${locale}/${ns}:${key}`).not.toBe("");
        }
      }
    }
  });

  it("translates with plurals and interpolation", () => {
    expect(getT("es")("ioc.count", { count: 22 })).toBe("22 indicadores");
    expect(getT("en")("ioc.count", { count: 1 })).toBe("1 indicator");
    expect(getT("es")("page.of", { page: 1, total: 3 })).toBe("Página 1 de 3");
  });

  it("gives every plain string as i18next does, however often and in whatever order it is asked", () => {
    for (const locale of ["es", "en"] as const) {
      const reference = i18next.createInstance();
      void reference.init({
        lng: locale,
        resources,
        ns: ["common", "site", "pdf"],
        defaultNS: "common",
        keySeparator: false,
        nsSeparator: ":",
        interpolation: { escapeValue: false },
        initAsync: false,
      });
      const t = getT(locale);
      // `common` keys with and without their namespace, a missing key (its name comes back), twice each.
      const keys = Object.entries(resources[locale]).flatMap(([ns, strings]) =>
        Object.keys(strings).flatMap((key) => (ns === "common" ? [key, `common:${key}`] : [`${ns}:${key}`])),
      );
      for (const key of [...keys, "site:no.such.key", ...keys.toReversed()]) {
        expect(t(key), `${locale} ${key}`).toBe(reference.t(key));
      }
      // Options are never answered from the plain strings.
      expect(t("ioc.count", { count: 2 })).not.toBe(t("ioc.count"));
    }
  });

  it("keeps languages apart across instances", () => {
    const es = getT("es");
    const en = getT("en");
    expect(en("severity.critical")).toBe("Critical");
    expect(es("severity.critical")).toBe("Crítica");
  });

  it("rejects an unknown locale", () => {
    expect(() => getT("fr" as "es")).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`locale\` to be \`es\` or \`en\`, not \`fr\`]`,
    );
  });

  it("formats dates and numbers per locale", () => {
    expect(formatDate("2023-03-29", "es")).toBe("29 de marzo de 2023");
    expect(formatDate("2023-03-29", "en")).toBe("29 March 2023");
    expect(formatNumber(242519, "es")).toBe("242.519");
    expect(formatNumber(242519, "en")).toBe("242,519");
    expect(formatNumber(4385, "es")).toBe("4.385");
  });
});
