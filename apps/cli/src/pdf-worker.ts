/** Worker thread of the PDF pool: renders the jobs it is sent, one at a time. */
import { parentPort } from "node:worker_threads";
import { renderJob, type PdfJob } from "./pdf-render.js";

if (!parentPort) throw new Error("pdf-worker.js must run as a worker thread");
const port = parentPort;
port.on("message", (message: { id: number; job: PdfJob }) => {
  renderJob(message.job).then(
    (pdfs) => port.postMessage({ id: message.id, pdfs }),
    (error: unknown) =>
      port.postMessage({ id: message.id, error: error instanceof Error ? error.stack : String(error) }),
  );
});
