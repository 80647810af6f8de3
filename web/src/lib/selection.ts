// Row selection with 全选 (select every row matching the filter, on all pages), as the
// blacklist uses it: either picked ids, or "all matching" sent to the server as the filter.

export type RowSelection = { all: false; ids: number[] } | { all: true };

export const NO_SELECTION: RowSelection = { all: false, ids: [] };
export const SELECT_ALL: RowSelection = { all: true };

/** How many rows the action will touch. */
export function selectedCount(s: RowSelection, total: number): number {
  return s.all ? total : s.ids.length;
}

export function isEmptySelection(s: RowSelection, total: number): boolean {
  return selectedCount(s, total) === 0;
}

/** The keys the table shows checked on the current page. */
export function checkedKeys(s: RowSelection, pageIds: readonly number[]): number[] {
  return s.all ? [...pageIds] : s.ids;
}

/**
 * The table reported `keys` as checked (AntD keeps keys of other pages with
 * `preserveSelectedRowKeys`). In "all" mode, unticking a row falls back to the ids of this
 * page that stay ticked: the server takes either ids or the whole filter, nothing between.
 */
export function onTableChange(s: RowSelection, keys: readonly (number | string)[], pageIds: readonly number[]): RowSelection {
  const ids = keys.map(Number);
  if (s.all) {
    const onPage = pageIds.filter((id) => ids.includes(id));
    return onPage.length === pageIds.length ? s : { all: false, ids: onPage };
  }
  return { all: false, ids: [...new Set(ids)] };
}

/** The request body part naming the rows: `{ids}` or `{filter}`. */
export function selectionTarget<F>(s: RowSelection, filter: F): { ids: number[] } | { filter: F } {
  return s.all ? { filter } : { ids: s.ids };
}

/** Whether to offer "select all N matching": some rows are picked, but not every matching one. */
export function canOfferSelectAll(s: RowSelection, total: number): boolean {
  return !s.all && s.ids.length > 0 && s.ids.length < total;
}
