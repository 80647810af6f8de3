import dayjs from 'dayjs';

/** Shows an RFC 3339 UTC time in local time. */
export function fmtTime(value: string | null | undefined): string {
  if (!value) return '-';
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : value;
}

export const PHONE_RE = /^1[3-9]\d{9}$/;
export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** At least 8 characters with letters and digits (the server's WEAK_PASSWORD rule). */
export function isStrongPassword(pw: string): boolean {
  return pw.length >= 8 && /[A-Za-z]/.test(pw) && /\d/.test(pw);
}

export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

/** An upload's problem: its extension is none of `exts` (case-insensitive), or it is over `maxBytes`. */
export function checkUploadFile(file: { name: string; size: number }, exts: readonly string[], maxBytes: number): 'badExt' | 'tooLarge' | null {
  const dot = file.name.lastIndexOf('.');
  const ext = dot < 0 ? '' : file.name.slice(dot + 1).toLowerCase();
  if (!exts.includes(ext)) return 'badExt';
  if (file.size > maxBytes) return 'tooLarge';
  return null;
}

/** Client-side check of an import file: `.xlsx` and at most 10 MB. Returns an i18n key or null. */
export function checkImportFile(file: { name: string; size: number }): 'import.badExt' | 'import.tooLarge' | null {
  const bad = checkUploadFile(file, ['xlsx'], IMPORT_MAX_BYTES);
  return bad && `import.${bad}`;
}

/** A spreadsheet to import (用户标签, 黑名单): `.xlsx` or `.csv`, at most `maxBytes` (10 MB). */
export function checkSheetFile(file: { name: string; size: number }, maxBytes = IMPORT_MAX_BYTES): 'badExt' | 'tooLarge' | null {
  return checkUploadFile(file, ['xlsx', 'csv'], maxBytes);
}
