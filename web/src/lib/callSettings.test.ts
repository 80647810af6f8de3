import { describe, expect, it } from 'vitest';
import { DEFAULT_LEVELS, TIMING_FIELDS, inRange, isHttpUrl, levelLabel, modelBody, modelFieldOf, modelFormValues, preview, sortLevels, timingFieldOf } from './callSettings';

describe('call timing', () => {
  it('has the API ranges in display order', () => {
    expect(TIMING_FIELDS.map((f) => f.key)).toEqual(['barge_in_ms', 'max_pause_ms', 'silence_timeout_ms', 'max_call_seconds', 'ring_timeout_seconds']);
    expect(TIMING_FIELDS.find((f) => f.key === 'max_pause_ms')).toEqual({ key: 'max_pause_ms', min: 200, max: 5000, unit: 'ms' });
  });

  it('checks whole numbers inside the range, bounds included', () => {
    const f = { min: 200, max: 5000 };
    expect(inRange(f, 200)).toBe(true);
    expect(inRange(f, 5000)).toBe(true);
    expect(inRange(f, 199)).toBe(false);
    expect(inRange(f, 5001)).toBe(false);
    expect(inRange(f, 800.5)).toBe(false);
    expect(inRange(f, null)).toBe(false);
    expect(inRange(f, '800')).toBe(false);
  });

  it('maps the API field of a VALIDATION error to the form field', () => {
    expect(timingFieldOf('max_pause_ms')).toBe('max_pause_ms');
    expect(timingFieldOf('timing.ring_timeout_seconds')).toBe('ring_timeout_seconds');
    expect(timingFieldOf('timing[barge_in_ms]')).toBe('barge_in_ms');
    expect(timingFieldOf('name')).toBeUndefined();
    expect(timingFieldOf(undefined)).toBeUndefined();
  });
});

describe('model form', () => {
  const m = { id: 3, name: '千问', base_url: 'https://x/v1', model: 'qwen-plus', api_key_hint: '****abcd', timeout_ms: 9000, max_retries: 2, updated_at: '' };

  it('never puts the saved key into the edit form', () => {
    expect(modelFormValues(m)).toEqual({ name: '千问', base_url: 'https://x/v1', model: 'qwen-plus', api_key: '', timeout_ms: 9000, max_retries: 2 });
    expect(modelFormValues(null)).toMatchObject({ api_key: '', timeout_ms: 8000, max_retries: 1 });
  });

  it('keeps the saved key on edit when the field is empty, trims the rest', () => {
    const v = { name: ' 千问 ', base_url: ' https://x/v1 ', model: ' qwen-plus ', api_key: '  ', timeout_ms: 9000, max_retries: 0 };
    expect(modelBody(v, true)).toEqual({ name: '千问', base_url: 'https://x/v1', model: 'qwen-plus', api_key: null, timeout_ms: 9000, max_retries: 0 });
    expect(modelBody({ ...v, api_key: ' sk-1 ' }, true).api_key).toBe('sk-1');
    expect(modelBody({ ...v, api_key: 'sk-2', timeout_ms: null, max_retries: undefined }, false)).toMatchObject({ api_key: 'sk-2', timeout_ms: 8000, max_retries: 1 });
  });

  it('accepts only http(s) base URLs', () => {
    expect(isHttpUrl('https://dashscope.aliyuncs.com/compatible-mode/v1')).toBe(true);
    expect(isHttpUrl('http://127.0.0.1:18099/v1')).toBe(true);
    expect(isHttpUrl('ftp://a/v1')).toBe(false);
    expect(isHttpUrl('dashscope.aliyuncs.com')).toBe(false);
    expect(isHttpUrl('')).toBe(false);
  });

  it('knows the model form fields', () => {
    expect(modelFieldOf('base_url')).toBe('base_url');
    expect(modelFieldOf('levels')).toBeUndefined();
  });
});

describe('levels and previews', () => {
  it('sorts levels A→F and drops unknown or repeated ones', () => {
    expect(sortLevels(['C', 'A', 'X', 'A', 'F'])).toEqual(['A', 'C', 'F']);
  });

  it('labels a level, falling back to its code', () => {
    expect(levelLabel(DEFAULT_LEVELS, 'B')).toBe('B级(有意向)');
    expect(levelLabel(DEFAULT_LEVELS, 'Z')).toBe('Z');
  });

  it('shortens criteria to one line', () => {
    expect(preview('询问价格\n  或同意加微信', 40)).toBe('询问价格 或同意加微信');
    expect(preview('一二三四五六', 4)).toBe('一二三四…');
  });
});
