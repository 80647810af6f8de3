import { describe, expect, it } from 'vitest';
import { NO_SELECTION, SELECT_ALL, canOfferSelectAll, checkedKeys, isEmptySelection, onTableChange, selectedCount, selectionTarget } from './selection';

describe('row selection with 全选', () => {
  it('counts picked rows or every matching row', () => {
    expect(selectedCount(NO_SELECTION, 57)).toBe(0);
    expect(selectedCount({ all: false, ids: [1, 2] }, 57)).toBe(2);
    expect(selectedCount(SELECT_ALL, 57)).toBe(57);
    expect(isEmptySelection(SELECT_ALL, 0)).toBe(true);
    expect(isEmptySelection(NO_SELECTION, 10)).toBe(true);
  });

  it('checks the whole page in all mode', () => {
    expect(checkedKeys(SELECT_ALL, [5, 6, 7])).toEqual([5, 6, 7]);
    expect(checkedKeys({ all: false, ids: [6] }, [5, 6, 7])).toEqual([6]);
  });

  it('follows the table; unticking a row leaves all mode', () => {
    expect(onTableChange(NO_SELECTION, [1, '2', 2], [1, 2, 3])).toEqual({ all: false, ids: [1, 2] });
    expect(onTableChange(SELECT_ALL, [1, 2, 3], [1, 2, 3])).toBe(SELECT_ALL);
    expect(onTableChange(SELECT_ALL, [1, 3], [1, 2, 3])).toEqual({ all: false, ids: [1, 3] });
    expect(onTableChange(SELECT_ALL, [], [1, 2, 3])).toEqual({ all: false, ids: [] });
  });

  it('names the rows by ids or by the filter', () => {
    const filter = { group_id: 3, phone: '138' };
    expect(selectionTarget({ all: false, ids: [4, 9] }, filter)).toEqual({ ids: [4, 9] });
    expect(selectionTarget(SELECT_ALL, filter)).toEqual({ filter });
  });

  it('offers "select all" only when some but not all are picked', () => {
    expect(canOfferSelectAll(NO_SELECTION, 50)).toBe(false);
    expect(canOfferSelectAll({ all: false, ids: [1] }, 50)).toBe(true);
    expect(canOfferSelectAll({ all: false, ids: [1, 2] }, 2)).toBe(false);
    expect(canOfferSelectAll(SELECT_ALL, 50)).toBe(false);
  });
});
