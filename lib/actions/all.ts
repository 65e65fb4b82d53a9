import "server-only";
import {
  commentOnActionItemAction,
  createActionItemAction,
  moveActionItemAction,
  setActionItemStatusAction,
  updateActionItemAction,
} from "@/lib/data/action-items";
import { controlsActions } from "@/lib/data/controls";
import { cancelJobAction } from "@/lib/data/jobs";
import { applyPowerTuningAction, startPowerTuningAction } from "@/lib/data/power-tuning";
import { createReviewAction, refreshReviewSnapshotAction } from "@/lib/data/reviews";
import { applyScenarioEventAction, setSandboxFaultsAction } from "@/lib/data/sandbox";
import { createUserAction, resetUserPasswordAction, setUserDisabledAction, setUserRoleAction } from "@/lib/data/users";
import type { PhoenixAction } from "./define-action";

/**
 * Every mutation Phoenix exposes. `POST /api/actions/:name` dispatches only to these, and the
 * authorization test enumerates them: a new action is added here or it does not exist.
 */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds actions of every input and result type
export const allActions: readonly PhoenixAction<any, unknown>[] = [
  createUserAction,
  setUserRoleAction,
  resetUserPasswordAction,
  setUserDisabledAction,
  applyScenarioEventAction,
  setSandboxFaultsAction,
  cancelJobAction,
  createActionItemAction,
  updateActionItemAction,
  setActionItemStatusAction,
  commentOnActionItemAction,
  moveActionItemAction,
  createReviewAction,
  refreshReviewSnapshotAction,
  ...controlsActions,
  startPowerTuningAction,
  applyPowerTuningAction,
];

export function findAction(name: string) {
  return allActions.find((action) => action.name === name);
}
