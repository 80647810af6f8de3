// The menu tree's shape and the walks over it: what a user may see, its leaves, and where a
// path sits in it. The tree itself (with its pages) is MENU in menu.tsx.
import type { ComponentType, LazyExoticComponent, ReactNode } from 'react';
import type { AccessCtx, Allow } from './access';
import type { MessageKey } from './i18n/messages';

export interface MenuLeaf {
  key: string;
  label: MessageKey;
  path: string;
  icon?: ReactNode;
  allow?: Allow;
  /** The screen; an entry without one is never shown. */
  page?: LazyExoticComponent<ComponentType>;
}

export interface MenuGroup {
  key: string;
  label: MessageKey;
  icon?: ReactNode;
  allow?: Allow;
  children: MenuNode[];
}

export type MenuNode = MenuLeaf | MenuGroup;

export const isGroup = (n: MenuNode): n is MenuGroup => 'children' in n;

/** What the main layout hands its pages: the menu the signed-in user sees. */
export interface MenuContext {
  menu: MenuNode[];
}

/** Removes entries the user may not see and groups left empty. */
export function filterMenu(nodes: readonly MenuNode[], ctx: AccessCtx): MenuNode[] {
  const out: MenuNode[] = [];
  for (const n of nodes) {
    if (n.allow && !n.allow(ctx)) continue;
    if (isGroup(n)) {
      const children = filterMenu(n.children, ctx);
      if (children.length > 0) out.push({ ...n, children });
    } else if (n.page) {
      out.push(n);
    }
  }
  return out;
}

/** All visible leaves, depth first. */
export function menuLeaves(nodes: readonly MenuNode[]): MenuLeaf[] {
  return nodes.flatMap((n) => (isGroup(n) ? menuLeaves(n.children) : n.page ? [n] : []));
}

/**
 * Keys of the groups on the way to the leaf with `path` (to open the menu there); a
 * sub-page (`/robot/scripts/7`) belongs to the leaf whose path is its prefix.
 */
export function menuPathKeys(nodes: readonly MenuNode[], path: string): { leaf?: string; groups: string[] } {
  const exact = menuPathKeysExact(nodes, path);
  if (exact.leaf) return exact;
  const parent = path.replace(/\/[^/]*$/, '');
  return parent && parent !== path ? menuPathKeys(nodes, parent) : { groups: [] };
}

function menuPathKeysExact(nodes: readonly MenuNode[], path: string): { leaf?: string; groups: string[] } {
  for (const n of nodes) {
    if (isGroup(n)) {
      const r = menuPathKeysExact(n.children, path);
      if (r.leaf) return { leaf: r.leaf, groups: [n.key, ...r.groups] };
    } else if (n.path === path) {
      return { leaf: n.key, groups: [] };
    }
  }
  return { groups: [] };
}
