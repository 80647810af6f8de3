import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { en, enErrors, zh, zhErrors, type MessageKey } from './messages';

export type { MessageKey } from './messages';
export type Lang = 'zh' | 'en';
export type Vars = Record<string, string | number>;

export const LANG_STORAGE_KEY = 'voxdial_lang';

const dicts: Record<Lang, Record<MessageKey, string>> = { zh, en };
const errorDicts: Record<Lang, Record<string, string>> = { zh: zhErrors, en: enErrors };

/** Replaces `{name}` placeholders. */
function fill(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  return fill(dicts[lang][key] ?? zh[key] ?? key, vars);
}

/** Codes whose server message names the problem (in Chinese): kept as is in zh. */
const DETAILED_CODES = new Set([
  'VALIDATION', 'SCRIPT_INVALID', 'INVALID_SCRIPT_JSON', 'LLM_FAILED',
  // The server names the number, group, line, task or count: 并发不足 says which tasks hold the line.
  'ALREADY_LISTED', 'BAD_CSV', 'CONCURRENCY', 'GROUP_EXISTS', 'LINE_EXISTS', 'LINE_IN_USE', 'LINE_UNAVAILABLE',
  'SCRIPT_UNPUBLISHED', 'TAG_EXISTS', 'TASK_RUNNING', 'TASK_STATE', 'TASK_STOPPED', 'TOO_MANY_ROWS',
]);
/** Codes whose server message says why (大模型响应超时…): shown after the English text too. */
const APPEND_MESSAGE_CODES = new Set(['LLM_FAILED']);

/**
 * The message to show for a failed request: the console's own text for the API `code`
 * in the chosen language; otherwise the server's `message`; otherwise a generic text.
 * For VALIDATION the server's message names the problem, so it is kept in Chinese;
 * for LLM_FAILED it says why the model call failed, so English adds it to its text.
 */
export function errorText(lang: Lang, err: unknown): string {
  if (err instanceof ApiError) {
    if (DETAILED_CODES.has(err.code) && lang === 'zh' && err.message) return err.message;
    const known = errorDicts[lang][err.code];
    if (known && APPEND_MESSAGE_CODES.has(err.code) && err.message) return `${known}: ${err.message}`;
    if (known) return err.code === 'VALIDATION' && err.field ? `${known} (${err.field})` : known;
    if (err.message) return err.message;
    return fill(errorDicts[lang].UNKNOWN, { status: err.status });
  }
  if (err instanceof Error && err.message) return err.message;
  return fill(errorDicts[lang].UNKNOWN, { status: '' });
}

export function loadLang(): Lang {
  try {
    const v = localStorage.getItem(LANG_STORAGE_KEY);
    if (v === 'en' || v === 'zh') return v;
  } catch {
    /* storage unavailable */
  }
  return 'zh';
}

interface I18nValue {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: (key: MessageKey, vars?: Vars) => string;
  errText: (err: unknown) => string;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Lang }) {
  const [lang, setLangState] = useState<Lang>(initial ?? loadLang);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(LANG_STORAGE_KEY, l);
    } catch {
      /* ignore */
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const value = useMemo<I18nValue>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      errText: (err) => errorText(lang, err),
    }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
