import { describe, expect, it } from "vitest";
import { formatRecord, formatTimestamp } from "../../src/service/record-format.js";
import type { UserConfig } from "../../src/service/user-config.js";

describe("Function: formatTimestamp", () => {
  it("renders local time with the zone's offset, following daylight saving", () => {
    expect(formatTimestamp(new Date("2025-07-22T10:02:15Z"), "Europe/Berlin")).toBe("2025-07-22T12:02:15+02:00");
    expect(formatTimestamp(new Date("2025-01-22T10:02:15Z"), "Europe/Berlin")).toBe("2025-01-22T11:02:15+01:00");
    expect(formatTimestamp(new Date("2025-07-22T03:00:00Z"), "America/New_York")).toBe("2025-07-21T23:00:00-04:00");
    expect(formatTimestamp(new Date("2025-07-22T10:02:15Z"), "UTC")).toBe("2025-07-22T10:02:15+00:00");
    expect(formatTimestamp(new Date("2025-07-22T10:02:15Z"), "Asia/Kolkata")).toBe("2025-07-22T15:32:15+05:30");
  });
});

describe("Function: formatRecord", () => {
  it("emits the configured columns in order, with the configured decimal separator", () => {
    const config: UserConfig = {
      columns: ["amount", "record_id", "note"],
      timeZone: "UTC",
      numberFormat: { decimals: 2, decimalSeparator: "," },
      retentionDays: 30,
    };
    const row = {
      record_id: "7",
      recorded_at: new Date(0),
      event_type: "login",
      amount: "-12.50",
      currency: null,
      status: "ok",
      note: null,
    };
    expect(formatRecord(row, config)).toEqual(["-12,50", "7", null]);
  });
});
