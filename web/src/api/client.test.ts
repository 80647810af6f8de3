import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiFetch, csrfHeaders, needsCsrf, qs, readCookie, setAuthHandlers } from './client';

describe('cookies and CSRF header', () => {
  it('reads a cookie among others, decoding it', () => {
    expect(readCookie('a=1; voxdial_csrf=abc%3D; b=2', 'voxdial_csrf')).toBe('abc=');
    expect(readCookie('voxdial_csrf_x=1', 'voxdial_csrf')).toBeUndefined();
    expect(readCookie('', 'voxdial_csrf')).toBeUndefined();
  });

  it('sends the header only on non-GET methods', () => {
    const c = 'voxdial_session=s; voxdial_csrf=tok123';
    expect(csrfHeaders('GET', c)).toEqual({});
    expect(csrfHeaders('head', c)).toEqual({});
    for (const m of ['POST', 'put', 'DELETE', 'PATCH']) expect(csrfHeaders(m, c)).toEqual({ 'X-CSRF-Token': 'tok123' });
    expect(needsCsrf('OPTIONS')).toBe(false);
  });

  it('sends no header when there is no cookie', () => {
    expect(csrfHeaders('POST', 'voxdial_session=s')).toEqual({});
  });

  it('builds query strings without empty values', () => {
    expect(qs({ q: '', page: 1, department_id: undefined, include_sub: true, x: null })).toBe('?page=1&include_sub=true');
    expect(qs({})).toBe('');
  });
});

describe('apiFetch', () => {
  const fetchMock = vi.fn();
  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock);
    document.cookie = 'voxdial_csrf=t0k';
  });
  afterEach(() => {
    fetchMock.mockReset();
    vi.unstubAllGlobals();
    setAuthHandlers({});
  });

  const json = (status: number, body: unknown) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  it('adds X-CSRF-Token from the cookie on POST and not on GET', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { ok: 1 })).mockResolvedValueOnce(json(200, []));
    await apiFetch('/api/departments', { method: 'POST', body: { name: 'x' } });
    await apiFetch('/api/departments');
    const [, post] = fetchMock.mock.calls[0];
    expect(post.headers['X-CSRF-Token']).toBe('t0k');
    expect(post.headers['Content-Type']).toBe('application/json');
    expect(post.body).toBe('{"name":"x"}');
    const [, get] = fetchMock.mock.calls[1];
    expect(get.headers['X-CSRF-Token']).toBeUndefined();
  });

  it('sends FormData as is, with the CSRF header', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 202 }));
    const fd = new FormData();
    fd.append('file', new Blob(['x']), 'a.xlsx');
    await apiFetch('/api/members/import', { method: 'POST', body: fd });
    const [, init] = fetchMock.mock.calls[0];
    expect(init.body).toBe(fd);
    expect(init.headers['Content-Type']).toBeUndefined();
    expect(init.headers['X-CSRF-Token']).toBe('t0k');
  });

  it('returns undefined for 204', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }));
    await expect(apiFetch('/api/auth/logout', { method: 'POST' })).resolves.toBeUndefined();
  });

  it('throws ApiError with code, message and field', async () => {
    fetchMock.mockResolvedValueOnce(json(409, { code: 'PHONE_TAKEN', message: '手机号已存在', field: 'phone' }));
    const err = await apiFetch('/api/members', { method: 'POST', body: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: 'PHONE_TAKEN', message: '手机号已存在', field: 'phone' });
  });

  it('calls onUnauthorized on 401 unless skipped', async () => {
    const onUnauthorized = vi.fn();
    const onPasswordChangeRequired = vi.fn();
    setAuthHandlers({ onUnauthorized, onPasswordChangeRequired });
    fetchMock.mockImplementation(async () => json(401, { code: 'UNAUTHENTICATED', message: '未登录' }));
    await expect(apiFetch('/api/members')).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    await expect(apiFetch('/api/auth/login', { method: 'POST', body: {}, skipAuthRedirect: true })).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(onPasswordChangeRequired).not.toHaveBeenCalled();
  });

  it('calls onPasswordChangeRequired on 403 PASSWORD_CHANGE_REQUIRED only', async () => {
    const onPasswordChangeRequired = vi.fn();
    setAuthHandlers({ onPasswordChangeRequired });
    fetchMock.mockResolvedValueOnce(json(403, { code: 'PASSWORD_CHANGE_REQUIRED', message: '请修改密码' }));
    await expect(apiFetch('/api/members')).rejects.toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED' });
    expect(onPasswordChangeRequired).toHaveBeenCalledTimes(1);
    fetchMock.mockResolvedValueOnce(json(403, { code: 'FORBIDDEN', message: '无权限' }));
    await expect(apiFetch('/api/members')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(onPasswordChangeRequired).toHaveBeenCalledTimes(1);
  });

  it('reports network failures as NETWORK_ERROR', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(apiFetch('/api/me')).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
  });
});
