import { getAwsClients } from "@/lib/aws/clients";
import { getDb } from "@/lib/db";
import type { PowerTuningDependencies } from "./power-tuning";
import { createPowerTuningHandler } from "./power-tuning";

/** The server's power-tuning jobs: Phoenix's AWS clients (real or sandbox) and its store. */
const serverDependencies: PowerTuningDependencies = {
  lambda: async () => (await getAwsClients()).lambda,
  db: getDb,
};

export const powerTuningHandlers = [createPowerTuningHandler(serverDependencies)] as const;
