import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PhoenixAction } from "@/lib/actions/define-action";
import type { SessionUser } from "@/lib/auth/session";

// Issue 6's bad-input table through runAction (what the forms and POST /api/actions/:name call): the
// global store in a temp dir, AWS the embedded sandbox reached by the real SDK clients.
process.env.PHOENIX_DATA_DIR = mkdtempSync(path.join(tmpdir(), "phoenix-bad-input-"));
process.env.NEXTAUTH_SECRET = "b".repeat(40);

const { runAction } = await import("@/lib/actions/define-action");
const { queryAudit } = await import("@/lib/audit");
const { getDb } = await import("@/lib/db");
const items = await import("@/lib/data/action-items");
const reviews = await import("@/lib/data/reviews");

// biome-ignore lint/suspicious/noExplicitAny: the table mixes actions of every input type
type AnyAction = PhoenixAction<any, unknown>;

const operator = (username: string): SessionUser => ({
  id: `id-${username}`,
  username,
  name: username,
  role: "operator",
});

/** Everything the actions could write, so "nothing saved" is checked row for row. */
async function storeContents() {
  const db = await getDb();
  return {
    items: await db.selectFrom("action_items").selectAll().orderBy("id").execute(),
    comments: await db.selectFrom("action_item_comments").selectAll().orderBy("id").execute(),
    reviews: await db.selectFrom("reviews").selectAll().orderBy("id").execute(),
  };
}

let firstItemId = "";

beforeAll(async () => {
  const db = await getDb();
  const anchorMs = Date.parse("2025-07-22T14:30:00Z");
  await reviews.seedReviewData(db, reviews.seedContextFor({ anchorMs, scenario: "meeting" }, anchorMs));
  firstItemId = (await items.listActionItemRows(db))[0]?.id ?? "";
  expect(firstItemId).not.toBe("");
});

afterAll(async () => {
  await (await getDb()).destroy();
});

const item = {
  title: "Alarm on p99",
  owner: "Maria",
  dueDate: "",
  notes: "",
  functions: "process-user-request",
  dependsOn: "",
  checkKind: "none",
};
const tenThousand = "x".repeat(10_000);
const nextYear = `${new Date().getUTCFullYear() + 1}-01-01`;
const review = { title: "Follow-up two", meetingDate: "2025-08-08", functions: "process-user-request" };

const cases: [string, () => AnyAction, () => Record<string, unknown>, string, RegExp][] = [
  ["item: empty title", () => items.createActionItemAction, () => ({ ...item, title: "" }), "title", /title/],
  ["item: title of spaces", () => items.createActionItemAction, () => ({ ...item, title: "   " }), "title", /title/],
  [
    "item: 10,000-char notes",
    () => items.createActionItemAction,
    () => ({ ...item, notes: tenThousand }),
    "notes",
    /at most 5,000/,
  ],
  [
    "item: unknown function",
    () => items.createActionItemAction,
    () => ({ ...item, functions: "process-user-request, no-such-function" }),
    "functions",
    /No such function in AWS: no-such-function/,
  ],
  [
    "item: a check on an unknown function",
    () => items.createActionItemAction,
    () => ({ ...item, checkKind: "rds-proxy", checkFunction: "no-such-function" }),
    "checkFunction",
    /No such function in AWS/,
  ],
  [
    "item: depends on an item that does not exist",
    () => items.createActionItemAction,
    () => ({ ...item, dependsOn: "no-such-item" }),
    "dependsOn",
    /does not exist/,
  ],
  [
    "edit: empty title",
    () => items.updateActionItemAction,
    () => ({ ...item, id: firstItemId, title: "" }),
    "title",
    /title/,
  ],
  [
    "edit: 10,000-char notes",
    () => items.updateActionItemAction,
    () => ({ ...item, id: firstItemId, notes: tenThousand }),
    "notes",
    /at most 5,000/,
  ],
  [
    "edit: unknown function",
    () => items.updateActionItemAction,
    () => ({ ...item, id: firstItemId, functions: "no-such-function" }),
    "functions",
    /No such function in AWS/,
  ],
  [
    "comment: 10,000 characters",
    () => items.commentOnActionItemAction,
    () => ({ id: firstItemId, body: tenThousand }),
    "body",
    /at most 2,000/,
  ],
  ["comment: empty", () => items.commentOnActionItemAction, () => ({ id: firstItemId, body: "  " }), "body", /Write/],
  ["review: empty title", () => reviews.createReviewAction, () => ({ ...review, title: "" }), "title", /title/],
  [
    "review: baseline ends before it starts",
    () => reviews.createReviewAction,
    () => ({ ...review, baselineFrom: "2025-07-20", baselineTo: "2025-07-10" }),
    "baselineTo",
    /ends before it starts/,
  ],
  [
    "review: current window ends in the future",
    () => reviews.createReviewAction,
    () => ({ ...review, currentTo: nextYear }),
    "currentTo",
    /lies in the future/,
  ],
  [
    "review: current window starts in the future",
    () => reviews.createReviewAction,
    () => ({ ...review, currentFrom: nextYear }),
    "currentFrom",
    /starts in the future/,
  ],
  [
    "review: unknown function",
    () => reviews.createReviewAction,
    () => ({ ...review, functions: "process-user-request, no-such-function" }),
    "functions",
    /No such function in AWS: no-such-function/,
  ],
];

describe("bad input → field errors, nothing saved", () => {
  it.each(cases)("%s", async (label, action, input, field, message) => {
    // Prepare
    const who = operator(`bad-${cases.findIndex((entry) => entry[0] === label)}`);
    const before = await storeContents();
    // Act
    const result = await runAction(action(), input(), who);
    // Assess
    expect(result).toMatchObject({ ok: false, code: "INVALID_INPUT" });
    expect((result.ok ? {} : result.fieldErrors)?.[field]?.join(" ")).toMatch(message);
    expect(await storeContents()).toEqual(before);
    const audit = await queryAudit(await getDb(), { actor: who.username }, 5);
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.some((row) => row.outcome === "success")).toBe(false);
  });
});
