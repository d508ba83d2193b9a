import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** The real 3CX bulletin, as the analysts wrote it. */
export async function readThreeCx(): Promise<{ es: string; en: string }> {
  const folder = fileURLToPath(new URL("../../../content/bulletins/2023-03-3cx/", import.meta.url));
  return {
    es: await readFile(`${folder}es.md`, "utf8"),
    en: await readFile(`${folder}en.md`, "utf8"),
  };
}

/** A minimal valid Spanish document; `rows` replaces the IOC table rows. */
export function esDocument(rows = "| URL | hxxps://evil-updates[.]com/a | C2 |", extraBody = ""): string {
  return `---
id: ATRC-2024-001
lang: es
title: Boletín de prueba
summary: Resumen de prueba.
published: 2024-01-10
modified: 2024-01-10
revision: 1
tlp: TLP:CLEAR
severity: high
tags: [prueba]
actors: [Grupo X]
products: [Producto Y]
attack: [T1566.001]
---

## Resumen

Texto de prueba.${extraBody}

## Indicadores de compromiso

| Tipo | Indicador | Descripción |
| --- | --- | --- |
${rows}

## Referencias

- [Informe](https://example.com/report)
`;
}
