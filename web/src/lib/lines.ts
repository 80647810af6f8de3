// Pure helpers of 线路管理 (operator): the SIP address and caller-number checks, as the form uses them.

/** "host:port" with a host name or IPv4 address and a port 1..65535. */
export function isHostPort(text: string | null | undefined): boolean {
  const m = /^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*):(\d{1,5})$/.exec((text ?? '').trim());
  if (!m) return false;
  const port = Number(m[5]);
  return port >= 1 && port <= 65535;
}

/** Caller ids as typed (one per tag, or pasted with commas / spaces / new lines): trimmed, no repeats. */
export function cleanCallerIds(values: readonly string[] | null | undefined): string[] {
  const out: string[] = [];
  for (const v of values ?? []) {
    for (const part of v.split(/[\s,，;；]+/)) {
      const n = part.trim();
      if (n && !out.includes(n)) out.push(n);
    }
  }
  return out;
}

/** The first caller id that is not digits (an optional leading +), or null. */
export function badCallerId(values: readonly string[]): string | null {
  return values.find((v) => !/^\+?\d{3,20}$/.test(v)) ?? null;
}
