// Who may do what in the console: the signed-in member's permissions, as the menu, the
// routes and the pages' buttons check them.
import type { MemberMe } from './api/types';

export interface AccessCtx {
  isOwner: boolean;
  permissions: ReadonlySet<string>;
}

export type Allow = (ctx: AccessCtx) => boolean;

/** The owner has every permission. */
export const can =
  (...keys: string[]): Allow =>
  (ctx) =>
    ctx.isOwner || keys.some((k) => ctx.permissions.has(k));
export const ownerOnly: Allow = (ctx) => ctx.isOwner;

export function accessOf(me: Pick<MemberMe, 'is_owner' | 'permissions'>): AccessCtx {
  return { isOwner: me.is_owner, permissions: new Set(me.permissions) };
}

/** Who may open the robot centre (the script editor route uses it too). */
export const canViewRobot = can('robot.view', 'robot.manage');
/** Who may open AI呼叫2.0 (the task form and task pages use it too). */
export const canViewTasks = can('task.view', 'task.manage');
