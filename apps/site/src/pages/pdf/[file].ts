import type { APIRoute, GetStaticPaths } from "astro";
import { getPublished } from "../../lib/publish.ts";

/** `/pdf/<file>.pdf` (and its `.sha256`): the PDF advisories, rendered once per build by @atrc/pdf. */
export const getStaticPaths = (async () => {
  const { pdfs } = await getPublished();
  return [...pdfs.keys()].flatMap((file) => [{ params: { file } }, { params: { file: `${file}.sha256` } }]);
}) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) => {
  const { pdfs } = await getPublished();
  const name = params.file ?? "";
  // `<file>.sha256` sidecars, in the same format as the exporter's (`<hex>  <name>`).
  const sidecar = name.endsWith(".sha256") ? pdfs.get(name.slice(0, -".sha256".length)) : undefined;
  if (sidecar) return new Response(`${sidecar.sha256}  ${name.slice(0, -".sha256".length)}\n`);
  const file = pdfs.get(name);
  if (!file) return new Response(null, { status: 404 });
  return new Response(file.bytes as Uint8Array<ArrayBuffer>, {
    headers: { "Content-Type": "application/pdf" },
  });
};
