import { describe, expect, it } from 'vitest';
import { checkImportFile, checkSheetFile, checkUploadFile, isStrongPassword, PHONE_RE } from './format';

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

describe('upload checks', () => {
  it('checks the extension (any case), then the size', () => {
    expect(checkUploadFile({ name: '名单.CSV', size: 5 }, ['xlsx', 'csv'], 10)).toBeNull();
    expect(checkUploadFile({ name: 'a.xlsx', size: 11 }, ['xlsx'], 10)).toBe('tooLarge');
    expect(checkUploadFile({ name: 'a.xlsx.txt', size: 11 }, ['xlsx'], 10)).toBe('badExt');
    expect(checkUploadFile({ name: 'xlsx', size: 1 }, ['xlsx'], 10)).toBe('badExt');
  });

  it('takes .xlsx and .csv sheets up to 10 MB unless told', () => {
    expect(checkSheetFile({ name: '标签.csv', size: 10 * 1024 * 1024 })).toBeNull();
    expect(checkSheetFile({ name: '标签.xls', size: 10 })).toBe('badExt');
    expect(checkSheetFile({ name: '标签.xlsx', size: 10 * 1024 * 1024 + 1 })).toBe('tooLarge');
    expect(checkSheetFile({ name: '号码.xlsx', size: 20 * 1024 * 1024 }, 50 * 1024 * 1024)).toBeNull();
  });
});
