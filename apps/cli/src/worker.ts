/** Worker thread of the pool: runs the tasks it is sent, one at a time. */
import { parentPort } from "node:worker_threads";
import { runTask, type TaskKind } from "./tasks.js";

if (!parentPort) throw new Error("worker.js must run as a worker thread");
const port = parentPort;
port.on("message", (message: { id: number; kind: TaskKind; job: never }) => {
  runTask(message.kind, message.job).then(
    (result) => port.postMessage({ id: message.id, result }),
    (error: unknown) =>
      port.postMessage({ id: message.id, error: error instanceof Error ? error.stack : String(error) }),
  );
});
