import { describe, expect, it } from "vitest";
import { FreshnessCache, freshnessForWindow } from "./latency-cache";

const policy = { ttlMs: 1_000, maxStaleMs: 10_000 };

function setup() {
  let now = 0;
  const cache = new FreshnessCache(() => now, 3);
  return {
    cache,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("FreshnessCache", () => {
  it("loads once for twenty concurrent readers of the same key", async () => {
    const { cache } = setup();
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return "value";
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.get("k", policy, load)));
    expect(loads).toBe(1);
    expect(results.every((result) => result.value === "value" && !result.stale)).toBe(true);
  });

  it("serves fresh values from memory, then stale ones while one refresh runs", async () => {
    const { cache, advance } = setup();
    let version = 0;
    const load = async () => ++version;
    expect((await cache.get("k", policy, load)).value).toBe(1);
    advance(500);
    expect(await cache.get("k", policy, load)).toMatchObject({ value: 1, stale: false });
    advance(1_000);
    expect(await cache.get("k", policy, load)).toMatchObject({ value: 1, stale: true });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await cache.get("k", policy, load)).toMatchObject({ value: 2, stale: false });
  });

  it("keeps the last good value with the reason when a refresh fails", async () => {
    const { cache, advance } = setup();
    await cache.get("k", policy, async () => "good");
    advance(20_000);
    const result = await cache.get("k", policy, async () => {
      throw new Error("AWS is throttling requests");
    });
    expect(result).toMatchObject({ value: "good", stale: true, refreshError: "AWS is throttling requests" });
  });

  it("passes a failure through when there is nothing to fall back on, and caches nothing", async () => {
    const { cache } = setup();
    await expect(
      cache.get("k", policy, async () => {
        throw new Error("denied");
      }),
    ).rejects.toThrow("denied");
    expect((await cache.get("k", policy, async () => "later")).value).toBe("later");
  });

  it("evicts the least recently used entry beyond its size", async () => {
    const { cache } = setup();
    let loads = 0;
    const load = async () => ++loads;
    for (const key of ["a", "b", "c"]) await cache.get(key, policy, load);
    await cache.get("a", policy, load);
    await cache.get("d", policy, load);
    await cache.get("a", policy, load);
    expect(loads).toBe(4);
    await cache.get("b", policy, load);
    expect(loads).toBe(5);
  });

  it("keeps short windows fresh for less time than long ones", () => {
    expect(freshnessForWindow(3_600_000).ttlMs).toBeLessThan(freshnessForWindow(7 * 86_400_000).ttlMs);
  });
});
