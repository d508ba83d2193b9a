/** A worker process of the pool: runs the tasks it is sent, one at a time, and ends when the pool disconnects. */
import { runTask, type TaskKind } from "./tasks.js";

const send = process.send?.bind(process);
if (!send) throw new Error("worker.js must run as a worker process of the pool (with an IPC channel)");
process.on("message", (message: { id: number; kind: TaskKind; job: never }) => {
  runTask(message.kind, message.job).then(
    (result) => send({ id: message.id, result }),
    (error: unknown) => send({ id: message.id, error: error instanceof Error ? error.stack : String(error) }),
  );
});
