import { describe, expect, it } from 'vitest';
import { formatYuan, mfenToYuan, yuanToMfen } from './money';

describe('formatYuan', () => {
  it('shows 2 decimals', () => {
    expect(formatYuan(6000)).toBe('0.06');
    expect(formatYuan(50_000_000)).toBe('500.00');
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(100_000)).toBe('1.00');
    expect(formatYuan(150_000)).toBe('1.50');
  });

  it('shows up to 4 decimals when needed, rounded', () => {
    expect(formatYuan(6500)).toBe('0.065');
    expect(formatYuan(6510)).toBe('0.0651');
    expect(formatYuan(12_345)).toBe('0.1235');
    expect(formatYuan(12_344)).toBe('0.1234');
    expect(formatYuan(4)).toBe('0.00');
  });

  it('handles negatives and missing values', () => {
    expect(formatYuan(-150_000)).toBe('-1.50');
    expect(formatYuan(-4)).toBe('0.00');
    expect(formatYuan(null)).toBe('-');
    expect(formatYuan(undefined)).toBe('-');
  });
});

describe('yuan ↔ mfen', () => {
  it('converts without float noise', () => {
    expect(yuanToMfen(0.06)).toBe(6000);
    expect(yuanToMfen(500)).toBe(50_000_000);
    expect(yuanToMfen(0.0651)).toBe(6510);
    expect(yuanToMfen(-12.3)).toBe(-1_230_000);
    expect(yuanToMfen(-0)).toBe(0);
    expect(mfenToYuan(6000)).toBe(0.06);
    expect(yuanToMfen(mfenToYuan(12_345))).toBe(12_345);
  });
});
