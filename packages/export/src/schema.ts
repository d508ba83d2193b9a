/**
 * JSON Schema (draft 2020-12) of the native JSON export, published as `schema/atrc-iocs-v1.json`. The copy in
 * `packages/export/schema/atrc-iocs.schema.json` is this object serialised (a test keeps them equal).
 */
import { IOC_TYPES } from "@atrc/ioc";

/**
 * Stable `$id` of the schema; the file is also published at this URL on the default site.
 *
 * @example
 * JSON.parse(toJson(bulletin, options)).$schema === IOC_SCHEMA_ID // true
 */
export const IOC_SCHEMA_ID = "https://atrc.example/schema/atrc-iocs-v1.json";

const day = { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" };
const text = { type: "string" };
const httpUrl = { type: "string", format: "uri", pattern: "^https?://" };
const uuid = {
  type: "string",
  pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
};
const stixIdOf = (type: string) => ({
  type: "string",
  pattern: `^${type}--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`,
});
const bilingual = (value: object) => ({
  type: "object",
  required: ["es"],
  additionalProperties: false,
  properties: { es: value, en: value },
});
const strings = { type: "array", items: text };

/**
 * The JSON Schema of `iocs/<id>.json` (one bulletin) and `iocs/all.json` (every public bulletin).
 *
 * @example
 * new Ajv2020().compile(IOC_JSON_SCHEMA)(JSON.parse(toJson(bulletin, options))) // true
 */
export const IOC_JSON_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: IOC_SCHEMA_ID,
  title: "ATRc IOC export, version 1",
  description:
    "Indicators of compromise of ATRc bulletins. `value` is refanged and canonical (the only form for machines); `value_defanged` is for people.",
  oneOf: [{ $ref: "#/$defs/export" }, { $ref: "#/$defs/collection" }],
  $defs: {
    export: {
      type: "object",
      required: ["$schema", "schema_version", "bulletin", "iocs"],
      additionalProperties: false,
      properties: {
        $schema: { const: IOC_SCHEMA_ID },
        schema_version: { const: "1" },
        bulletin: { $ref: "#/$defs/bulletin" },
        iocs: { type: "array", items: { $ref: "#/$defs/ioc" } },
      },
    },
    collection: {
      type: "object",
      required: ["$schema", "schema_version", "bulletins"],
      additionalProperties: false,
      properties: {
        $schema: { const: IOC_SCHEMA_ID },
        schema_version: { const: "1" },
        bulletins: {
          type: "array",
          items: {
            type: "object",
            required: ["bulletin", "iocs"],
            additionalProperties: false,
            properties: {
              bulletin: { $ref: "#/$defs/bulletin" },
              iocs: { type: "array", items: { $ref: "#/$defs/ioc" } },
            },
          },
        },
      },
    },
    bulletin: {
      type: "object",
      required: [
        "id",
        "slug",
        "revision",
        "title",
        "lang",
        "published",
        "modified",
        "tlp",
        "severity",
        "url",
        "pdf",
        "malware",
        "actors",
        "attack",
        "references",
        "stix_report_id",
        "misp_event_uuid",
      ],
      additionalProperties: false,
      properties: {
        id: { type: "string", pattern: "^ATRC-\\d{4}-\\d{3,}$" },
        slug: { type: "string", pattern: "^[a-z0-9][a-z0-9-]*$" },
        revision: { type: "integer", minimum: 1 },
        title: bilingual(text),
        lang: { const: "es" },
        published: day,
        modified: day,
        tlp: { enum: ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"] },
        severity: { enum: ["low", "medium", "high", "critical"] },
        url: bilingual(httpUrl),
        pdf: bilingual(httpUrl),
        malware: strings,
        actors: strings,
        attack: { type: "array", items: { type: "string", pattern: "^T\\d{4}(?:\\.\\d{3})?$" } },
        references: {
          type: "array",
          items: {
            type: "object",
            required: ["title", "url"],
            additionalProperties: false,
            properties: { title: text, url: httpUrl },
          },
        },
        stix_report_id: stixIdOf("report"),
        misp_event_uuid: uuid,
      },
    },
    ioc: {
      type: "object",
      required: [
        "key",
        "type",
        "value",
        "value_defanged",
        "benign_host",
        "to_ids",
        "description",
        "misp_attribute_uuid",
        "misp_type",
        "misp_category",
      ],
      additionalProperties: false,
      properties: {
        key: { type: "string", pattern: "^[a-z0-9]+:\\S" },
        type: { enum: [...IOC_TYPES] },
        value: { type: "string", minLength: 1, pattern: "^[^\\s=+\\-@]" },
        value_defanged: { type: "string", minLength: 1 },
        benign_host: { type: "boolean" },
        to_ids: { type: "boolean" },
        description: bilingual(text),
        stix_indicator_id: stixIdOf("indicator"),
        stix_vulnerability_id: stixIdOf("vulnerability"),
        misp_attribute_uuid: uuid,
        misp_type: text,
        misp_category: text,
      },
      if: { properties: { type: { const: "cve" } } },
      then: { required: ["stix_vulnerability_id"], not: { required: ["stix_indicator_id"] } },
      else: { required: ["stix_indicator_id"], not: { required: ["stix_vulnerability_id"] } },
    },
  },
} as const;
