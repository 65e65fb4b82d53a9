import { describe, expect, it } from "vitest";
import { RUNTIMES, runtimeStatus } from "./runtimes";

describe("runtimeStatus", () => {
  it.each([
    ["python3.9", "2025-07-22", "deprecating"],
    ["python3.9", "2025-12-15", "deprecated"],
    ["python3.9", "2025-01-01", "supported"],
    ["python3.12", "2026-12-04", "supported"],
    ["nodejs20.x", "2026-12-04", "deprecated"],
    ["go1.x", "2026-12-04", "unknown"],
  ])("%s on %s is %s", (runtime, day, state) => {
    expect(runtimeStatus(runtime, Date.parse(`${day}T12:00:00Z`)).state).toBe(state);
  });

  it("names python3.9's deprecation date, as the review meeting must see it", () => {
    const status = runtimeStatus("python3.9", Date.parse("2026-01-01T00:00:00Z"));
    expect(status.explanation).toContain("2025-12-15");
    expect(status.label).toBe("Python 3.9");
  });

  it("lists each runtime once with an ISO date", () => {
    expect(new Set(RUNTIMES.map((runtime) => runtime.id)).size).toBe(RUNTIMES.length);
    for (const runtime of RUNTIMES) expect(runtime.deprecatedOn ?? "2000-01-01").toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
