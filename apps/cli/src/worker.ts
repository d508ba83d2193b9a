/** A worker process of the pool: runs the tasks it is sent, one at a time, until the pool stops it. */
import { runTask, type TaskKind } from "./tasks.js";

if (!process.send)
  throw new Error("worker.js must run as a worker process of the pool (with an IPC channel)");
// (Once the pool is gone, its channel is closed: the answer has no one to go to, and the process ends.)
const send = (message: object) => {
  if (process.connected) process.send?.(message);
};
process.on("message", (message: { id: number; kind: TaskKind; job: never }) => {
  runTask(message.kind, message.job).then(
    (result) => send({ id: message.id, result }),
    (error: unknown) => send({ id: message.id, error: error instanceof Error ? error.stack : String(error) }),
  );
});
