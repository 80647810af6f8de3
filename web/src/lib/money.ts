// Money on the console: the API counts in milli-fen (mfen, 1/100 000 元); the screens show 元
// with 2 decimals, or up to 4 when the amount needs them (6000 mfen = "0.06", 12345 = "0.1235").

export const MFEN_PER_YUAN = 100_000;

/** 元 text of an mfen amount: 2 decimals, up to 4 when needed (rounded half away from zero). */
export function formatYuan(mfen: number | null | undefined): string {
  if (mfen == null || !Number.isFinite(mfen)) return '-';
  // In 1/10 000 元 (10 mfen), the finest the console shows.
  const units = Math.round(Math.abs(mfen) / 10);
  const sign = mfen < 0 && units > 0 ? '-' : '';
  const whole = Math.floor(units / 10_000);
  let frac = String(units % 10_000).padStart(4, '0');
  while (frac.length > 2 && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${sign}${whole}.${frac}`;
}

/** An amount in 元 (as typed, up to 4 decimals … or more) to whole mfen. */
export function yuanToMfen(yuan: number): number {
  const v = Math.round(yuan * MFEN_PER_YUAN);
  return Object.is(v, -0) ? 0 : v;
}

/** mfen to a 元 number, for form fields (InputNumber). */
export function mfenToYuan(mfen: number): number {
  return mfen / MFEN_PER_YUAN;
}
