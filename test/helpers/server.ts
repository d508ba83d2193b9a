/**
 * A tiny static server for the built site, in-process (no orphan processes), on 127.0.0.1 with a random
 * port. It behaves like a plain static host: directories serve index.html, unknown paths serve 404.html
 * with status 404.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".csv": "text/csv; charset=utf-8; header=present",
  ".txt": "text/plain; charset=utf-8",
  ".sha256": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".pdf": "application/pdf",
  ".wasm": "application/wasm",
  ".pf_meta": "application/octet-stream",
  ".pf_index": "application/octet-stream",
  ".pf_fragment": "application/octet-stream",
};

/** A running server. */
export interface StaticServer {
  /** Base URL without a trailing slash (`http://127.0.0.1:43211`). */
  readonly url: string;
  close(): Promise<void>;
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}

/**
 * Serve a folder.
 *
 * @param root Folder to serve.
 * @returns The server's URL and a `close` function.
 */
export async function serve(root: string): Promise<StaticServer> {
  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://localhost");
      let pathname: string;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        response.writeHead(400).end();
        return;
      }
      let file = path.join(root, path.normalize(pathname));
      if (!file.startsWith(root)) {
        response.writeHead(403).end();
        return;
      }
      let status = 200;
      if (pathname.endsWith("/")) file = path.join(file, "index.html");
      else if (!(await isFile(file)) && (await isFile(path.join(file, "index.html")))) {
        response.writeHead(301, { Location: `${pathname}/` }).end();
        return;
      }
      if (!(await isFile(file))) {
        status = 404;
        file = path.join(root, "404.html");
      }
      const type =
        TYPES[path.extname(file)] ?? (path.basename(file) === "SHA256SUMS" ? TYPES[".txt"] : undefined);
      response.writeHead(status, {
        "Content-Type": type ?? "application/octet-stream",
        "Cache-Control": "no-store",
      });
      createReadStream(file).pipe(response);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
