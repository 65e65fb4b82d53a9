import type { RegionSnapshot } from "./region";

/**
 * Where the sandbox keeps its state between restarts, per account + region (key "123456789012/us-east-1").
 * Snapshots are plain JSON: functions, versions, aliases, provisioned-concurrency configs, scalable
 * targets, scheduled actions, scaling activities and the configuration history the simulator replays.
 * Phoenix implements this on its store (SQLite/PostgreSQL); the in-memory one serves tests and demos.
 */
export interface SandboxPersistence {
  load(accountRegionKey: string): Promise<SandboxSnapshot | undefined>;
  save(accountRegionKey: string, snapshot: SandboxSnapshot): Promise<void>;
}

export type SandboxSnapshot = RegionSnapshot;

export class InMemoryPersistence implements SandboxPersistence {
  private readonly snapshots = new Map<string, string>();

  async load(accountRegionKey: string): Promise<SandboxSnapshot | undefined> {
    const text = this.snapshots.get(accountRegionKey);
    return text === undefined ? undefined : (JSON.parse(text) as SandboxSnapshot);
  }

  async save(accountRegionKey: string, snapshot: SandboxSnapshot): Promise<void> {
    // Stored as text so callers can never share mutable objects with the store (as with a database).
    this.snapshots.set(accountRegionKey, JSON.stringify(snapshot));
  }

  keys(): string[] {
    return [...this.snapshots.keys()];
  }
}
