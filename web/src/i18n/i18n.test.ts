import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { errorText, translate } from './index';
import { en, enErrors, zh, zhErrors } from './messages';

// Codes the console's pages check by name (errorCodes.test.ts checks every server code).
const API_CODES = [
  'UNAUTHENTICATED', 'FORBIDDEN', 'PASSWORD_CHANGE_REQUIRED', 'CSRF_FAILED', 'VALIDATION',
  'INVALID_CREDENTIALS', 'LOGIN_RATE_LIMITED', 'ACCOUNT_DISABLED', 'COMPANY_SUSPENDED',
  'PHONE_TAKEN', 'EMAIL_TAKEN', 'INVALID_PHONE', 'INVALID_EMAIL', 'FILE_TOO_LARGE', 'UNSUPPORTED_FILE',
  'WRONG_PASSWORD', 'WEAK_PASSWORD', 'SAME_PASSWORD', 'UNKNOWN_DEPARTMENT', 'CANNOT_DISABLE_OWNER',
  'CANNOT_DISABLE_SELF', 'EMPTY_FILE', 'BAD_HEADERS', 'DEPARTMENT_NAME_TAKEN', 'UNKNOWN_MEMBER',
  'UNKNOWN_PERMISSION_GROUP', 'DEPARTMENT_CYCLE', 'DEPARTMENT_HAS_CHILDREN', 'GROUP_NAME_TAKEN',
  'UNKNOWN_PERMISSION', 'GROUP_IN_USE', 'DEFAULT_GROUP', 'COMPANY_NAME_TAKEN', 'SCRIPT_INVALID', 'INVALID_SCRIPT_JSON',
  'LLM_FAILED', 'LLM_GARBAGE', 'MODEL_IN_USE', 'UNKNOWN_MODEL',
];

describe('error messages', () => {
  it('has a zh and an en message for every API error code', () => {
    for (const code of API_CODES) {
      expect(zhErrors[code], code).toBeTruthy();
      expect(enErrors[code], code).toBeTruthy();
    }
    expect(Object.keys(enErrors).sort()).toEqual(Object.keys(zhErrors).sort());
  });

  it('maps a known code to the chosen language, not the server text', () => {
    const e = new ApiError(401, 'INVALID_CREDENTIALS', 'server says no');
    expect(errorText('zh', e)).toBe('账号或密码错误');
    expect(errorText('en', e)).toBe('Wrong login or password');
  });

  it("falls back to the server's message for an unknown code", () => {
    const e = new ApiError(409, 'SOMETHING_NEW', '某个新的错误');
    expect(errorText('zh', e)).toBe('某个新的错误');
    expect(errorText('en', e)).toBe('某个新的错误');
  });

  it('falls back to a generic text with the status when there is no message', () => {
    expect(errorText('zh', new ApiError(502, 'HTTP_502', ''))).toBe('请求失败 502');
    expect(errorText('en', new ApiError(502, 'HTTP_502', ''))).toBe('Request failed 502');
  });

  it('keeps the specific server message for VALIDATION in Chinese', () => {
    const e = new ApiError(422, 'VALIDATION', '姓名不能为空', 'name');
    expect(errorText('zh', e)).toBe('姓名不能为空');
    expect(errorText('en', e)).toBe('Invalid input (name)');
    expect(errorText('zh', new ApiError(422, 'VALIDATION', ''))).toBe('输入有误，请检查后重试');
  });

  it("shows why a model call failed (LLM_FAILED): the server's message", () => {
    const e = new ApiError(502, 'LLM_FAILED', '大模型响应超时');
    expect(errorText('zh', e)).toBe('大模型响应超时');
    expect(errorText('en', e)).toBe('The model call failed: 大模型响应超时');
    expect(errorText('zh', new ApiError(502, 'LLM_FAILED', ''))).toBe('调用大模型失败');
    expect(errorText('zh', new ApiError(409, 'MODEL_IN_USE', 'x'))).toBe('该模型正被质检条件使用，请先为这些条件更换模型或删除它们');
  });

  it('handles network errors and plain errors', () => {
    expect(errorText('zh', new ApiError(0, 'NETWORK_ERROR', 'Failed to fetch'))).toBe('网络连接失败，请检查网络后重试');
    expect(errorText('en', new Error('boom'))).toBe('boom');
  });
});

describe('dictionary', () => {
  it('has the same keys in zh and en, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [k, v] of Object.entries(en)) expect(v, k).not.toBe('');
  });

  it('fills placeholders', () => {
    expect(translate('zh', 'common.total', { n: 3 })).toBe('共 3 条');
    expect(translate('en', 'notify.popupCounts', { success: 2, fail: 1 })).toBe('2 succeeded, 1 failed');
  });

  it('uses the product wording', () => {
    expect(translate('zh', 'menu.contacts')).toBe('通讯录');
    expect(translate('zh', 'member.initialPasswordHint')).toBe('留空则为 123456，首次登录需修改');
    expect(translate('zh', 'pwd.forcedTitle')).toBe('首次登录请修改初始密码');
  });
});
