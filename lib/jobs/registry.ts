import { controlsJobHandlers } from "./handlers/controls";
import { powerTuningHandlers } from "./handlers/power-tuning-handlers";
import type { JobHandler } from "./runner";

/**
 * Every kind of persisted job Phoenix runs. The runner only claims jobs of these kinds, so a job
 * enqueued by a newer version waits for a server that knows it instead of failing.
 */
// biome-ignore lint/suspicious/noExplicitAny: a registry of handlers of every input and state type
export const jobHandlers: JobHandler<any, any>[] = [...controlsJobHandlers, ...powerTuningHandlers];
