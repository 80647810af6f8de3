import { describe, expect, it } from 'vitest';
import { checkImportFile, isStrongPassword, PHONE_RE } from './format';

describe('format helpers', () => {
  it('checks import files: .xlsx and <= 10 MB', () => {
    expect(checkImportFile({ name: '子账户.xlsx', size: 1000 })).toBeNull();
    expect(checkImportFile({ name: 'A.XLSX', size: 10 * 1024 * 1024 })).toBeNull();
    expect(checkImportFile({ name: 'a.xls', size: 10 })).toBe('import.badExt');
    expect(checkImportFile({ name: 'a.csv', size: 10 })).toBe('import.badExt');
    expect(checkImportFile({ name: 'a.xlsx', size: 10 * 1024 * 1024 + 1 })).toBe('import.tooLarge');
  });
  it('password rule', () => {
    expect(isStrongPassword('abc12345')).toBe(true);
    expect(isStrongPassword('abcdefgh')).toBe(false);
    expect(isStrongPassword('12345678')).toBe(false);
    expect(isStrongPassword('ab1')).toBe(false);
  });
  it('phone pattern', () => {
    expect(PHONE_RE.test('13800000000')).toBe(true);
    expect(PHONE_RE.test('12800000000')).toBe(false);
    expect(PHONE_RE.test('1380000000')).toBe(false);
  });
});
