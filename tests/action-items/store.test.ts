import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addActionItemComment,
  insertActionItem,
  listActionItemComments,
  listActionItemRows,
  reorderActionItems,
  setActionItemStatus,
  updateActionItemFields,
} from "@/lib/data/action-items";
import { listReviewRows, seedContextFor, seedReviewData } from "@/lib/data/reviews";
import { moveInOrder } from "@/lib/domain/action-items";
import { storeKinds, type TestStore } from "../support/stores";

const anchorMs = Date.parse("2025-07-22T14:30:00Z");

describe.each(storeKinds)("the action items and reviews store on %s", (_kind, open) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => store.cleanup());

  it("seeds the meeting's six items in order and its two reviews, once", async () => {
    // Act
    const first = await seedReviewData(store.db, seedContextFor({ anchorMs, scenario: "meeting" }, anchorMs));
    const second = await seedReviewData(store.db, seedContextFor({ anchorMs, scenario: "meeting" }, anchorMs));
    // Assess
    expect(first).toEqual({ items: 6, reviews: 2 });
    expect(second).toEqual({ items: 0, reviews: 0 });
    const items = await listActionItemRows(store.db);
    expect(items.map((item) => [item.position, item.owner, item.dueDate])).toEqual([
      [1, "David", "2025-07-25"],
      [2, "Maria", "2025-07-25"],
      [3, "Maria", "2025-08-01"],
      [4, "Tom & David", "2025-08-01"],
      [5, "Maria", "2025-08-01"],
      [6, "Maria", "2025-08-01"],
    ]);
    expect(items[2]?.dependsOn).toEqual([{ itemId: items[0]?.id, reason: expect.stringMatching(/refactor changes/) }]);
    expect(items[4]?.functions).toEqual(["process-user-request", "update-user-settings", "send-notification"]);
    const reviews = await listReviewRows(store.db);
    expect(reviews.map((review) => [review.title, review.meetingDate])).toEqual([
      ["Project Phoenix latency review — follow-up", "2025-08-01"],
      ["Project Phoenix latency review", "2025-07-22"],
    ]);
    const meeting = reviews[1];
    expect(meeting?.baseline.endMs).toBe(Date.parse("2025-07-22T14:00:00Z"));
    expect((meeting?.baseline.endMs ?? 0) - (meeting?.baseline.startMs ?? 0)).toBe(14 * 86_400_000);
  });

  it("creates, edits, changes status, comments and reorders", async () => {
    // Prepare
    const created = await insertActionItem(store.db, {
      title: "Alarm on p99",
      owner: "alice",
      dueDate: null,
      notes: "",
      functions: ["process-user-request"],
      dependsOn: [],
      verification: null,
    });
    // Act
    await updateActionItemFields(store.db, created.id, { ...created, title: "Alarm on p99 > 3 s" });
    const started = await setActionItemStatus(store.db, created.id, "in_progress", new Date("2025-07-23T10:00:00Z"));
    const done = await setActionItemStatus(store.db, created.id, "done", new Date("2025-07-24T10:00:00Z"));
    const again = await setActionItemStatus(store.db, created.id, "done", new Date("2025-07-25T10:00:00Z"));
    await addActionItemComment(store.db, created.id, "alice", "Threshold agreed with Sarah");
    const order = (await listActionItemRows(store.db)).map((item) => item.id);
    await reorderActionItems(store.db, moveInOrder(order, created.id, "up"));
    // Assess
    expect(created.position).toBe(7);
    expect(started).toMatchObject({ status: "in_progress", startedAt: "2025-07-23T10:00:00.000Z", doneAt: null });
    expect(done).toMatchObject({
      status: "done",
      startedAt: "2025-07-23T10:00:00.000Z",
      doneAt: "2025-07-24T10:00:00.000Z",
    });
    // Marking a done item done again keeps when it was done.
    expect(again.doneAt).toBe("2025-07-24T10:00:00.000Z");
    expect(await listActionItemComments(store.db, created.id)).toEqual([
      expect.objectContaining({ author: "alice", body: "Threshold agreed with Sarah" }),
    ]);
    const items = await listActionItemRows(store.db);
    expect(items.map((item) => item.title).slice(5)).toEqual(["Alarm on p99 > 3 s", items[6]?.title]);
    expect(items[5]?.position).toBe(6);
  });
});
