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

/** Client-side check of an import file: `.xlsx` and at most 10 MB. Returns an i18n key or null. */
export function checkImportFile(file: { name: string; size: number }): 'import.badExt' | 'import.tooLarge' | null {
  if (!/\.xlsx$/i.test(file.name)) return 'import.badExt';
  if (file.size > IMPORT_MAX_BYTES) return 'import.tooLarge';
  return null;
}
