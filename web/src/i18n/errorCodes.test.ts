import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { errorText } from './index';
import { enErrors, zhErrors } from './messages';

/** The server's sources, where every error code is the first string of an error constructor: the
 * HTTP edge's `ApiError`, or a service's `Error` (whose refusals the edge passes on). */
const SERVER_SRC = join(__dirname, '..', '..', '..', 'crates', 'server', 'src');
const CONSTRUCTOR =
  /\b(?:ApiError|Error|Self)::(?:new|invalid|conflict|refused)\(\s*(?:(?:StatusCode|Kind)::\w+,\s*)?"([A-Z][A-Z0-9_]+)"/g;

function rustFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return rustFiles(path);
    return entry.name.endsWith('.rs') ? [path] : [];
  });
}

function serverCodes(): string[] {
  const codes = new Set<string>();
  for (const file of rustFiles(SERVER_SRC)) {
    for (const match of readFileSync(file, 'utf8').matchAll(CONSTRUCTOR)) codes.add(match[1]);
  }
  return [...codes].sort();
}

describe('server error codes', () => {
  it('are found in the server sources', () => {
    const codes = serverCodes();
    // The error edge's own codes, and a few from features, prove the scan reads the sources.
    for (const code of ['VALIDATION', 'NOT_FOUND', 'INTERNAL', 'DUPLICATE', 'TASK_STOPPED', 'CSRF_FAILED']) {
      expect(codes).toContain(code);
    }
  });

  it('each read in both console languages', () => {
    const missing = serverCodes().filter((code) => !zhErrors[code] || !enErrors[code]);
    expect(missing).toEqual([]);
  });

  it("keep the server's particulars in Chinese and read as a whole in English", () => {
    const e = new ApiError(409, 'CONCURRENCY', '并发不足：线路“模拟线路”最大并发 10，可用 2，本任务需要 5。占用中的任务：演示任务');
    expect(errorText('zh', e)).toBe(e.message);
    expect(errorText('en', e)).toBe(enErrors.CONCURRENCY);
    expect(errorText('zh', new ApiError(422, 'NO_NUMBERS', 'x'))).toBe(zhErrors.NO_NUMBERS);
  });
});
