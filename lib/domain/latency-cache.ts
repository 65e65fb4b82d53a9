/**
 * A small server-side cache for CloudWatch results: keyed by query and range, fresh for a TTL that
 * suits the range, then served stale while one background refresh runs (stale-while-revalidate).
 * Loads are single-flight: twenty viewers of the same page wait on one set of AWS calls. A failed
 * refresh keeps the last good value and says so, instead of blanking the chart.
 */

export interface Cached<T> {
  value: T;
  fetchedAtMs: number;
  /** Older than its TTL: a refresh is running or was just tried. */
  stale: boolean;
  /** Why the last refresh failed, in plain words (the value shown is the last good one). */
  refreshError?: string;
}

export interface FreshnessPolicy {
  /** Fresh for this long. */
  ttlMs: number;
  /** Served stale (while refreshing in the background) up to this age; older waits for a refresh. */
  maxStaleMs: number;
}

interface Entry {
  value: unknown;
  fetchedAtMs: number;
  refreshError?: string;
  failedAtMs?: number;
}

/** After a failed refresh, wait this long before asking AWS again (a throttled API needs air). */
const retryAfterFailureMs = 10_000;

export class FreshnessCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Entry>>();
  readonly stats = { hits: 0, staleHits: 0, loads: 0, failures: 0 };

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 500,
    private readonly describeError: (error: unknown) => string = (error) =>
      error instanceof Error ? error.message : String(error),
  ) {}

  async get<T>(key: string, policy: FreshnessPolicy, load: () => Promise<T>): Promise<Cached<T>> {
    const entry = this.entries.get(key);
    const now = this.now();
    if (entry) {
      const age = now - entry.fetchedAtMs;
      if (age < policy.ttlMs) {
        this.stats.hits++;
        this.touch(key, entry);
        return { value: entry.value as T, fetchedAtMs: entry.fetchedAtMs, stale: false };
      }
      const mayRetry = entry.failedAtMs === undefined || now - entry.failedAtMs >= retryAfterFailureMs;
      if (age < policy.maxStaleMs || !mayRetry) {
        this.stats.staleHits++;
        if (mayRetry) this.refresh(key, load).catch(() => undefined);
        return this.staleResult<T>(key, entry);
      }
      try {
        const fresh = await this.refresh(key, load);
        return { value: fresh.value as T, fetchedAtMs: fresh.fetchedAtMs, stale: false };
      } catch {
        return this.staleResult<T>(key, entry);
      }
    }
    const loaded = await this.refresh(key, load);
    return { value: loaded.value as T, fetchedAtMs: loaded.fetchedAtMs, stale: false };
  }

  /** Forgets everything (tests, and after a change that makes cached data wrong). */
  clear(): void {
    this.entries.clear();
  }

  private staleResult<T>(key: string, fallback: Entry): Cached<T> {
    const entry = this.entries.get(key) ?? fallback;
    return {
      value: entry.value as T,
      fetchedAtMs: entry.fetchedAtMs,
      stale: true,
      ...(entry.refreshError ? { refreshError: entry.refreshError } : {}),
    };
  }

  private refresh<T>(key: string, load: () => Promise<T>): Promise<Entry> {
    const running = this.inFlight.get(key);
    if (running) return running;
    this.stats.loads++;
    const promise = (async () => {
      try {
        const value = await load();
        const entry: Entry = { value, fetchedAtMs: this.now() };
        this.touch(key, entry);
        return entry;
      } catch (error) {
        this.stats.failures++;
        const previous = this.entries.get(key);
        if (previous) {
          previous.refreshError = this.describeError(error);
          previous.failedAtMs = this.now();
        }
        throw error;
      } finally {
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, promise);
    return promise;
  }

  private touch(key: string, entry: Entry): void {
    // Map keeps insertion order: re-inserting makes this the most recently used entry.
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

/** How long results of a window stay fresh: recent, short windows change fastest. */
export function freshnessForWindow(windowMs: number): FreshnessPolicy {
  const minutes = (count: number) => count * 60_000;
  if (windowMs <= 3 * 3_600_000) return { ttlMs: minutes(1), maxStaleMs: minutes(10) };
  if (windowMs <= 86_400_000) return { ttlMs: minutes(2), maxStaleMs: minutes(30) };
  if (windowMs <= 14 * 86_400_000) return { ttlMs: minutes(5), maxStaleMs: minutes(60) };
  return { ttlMs: minutes(15), maxStaleMs: minutes(180) };
}
