import { describe, expect, it } from 'vitest';
import { badCallerId, cleanCallerIds, isHostPort } from './lines';

describe('line form checks', () => {
  it('wants host:port', () => {
    expect(isHostPort('sip.example.com:5060')).toBe(true);
    expect(isHostPort('10.0.0.8:5080')).toBe(true);
    expect(isHostPort(' 10.0.0.8:5080 ')).toBe(true);
    expect(isHostPort('10.0.0.8')).toBe(false);
    expect(isHostPort('host:0')).toBe(false);
    expect(isHostPort('host:70000')).toBe(false);
    expect(isHostPort('sip://host:5060')).toBe(false);
    expect(isHostPort('')).toBe(false);
  });

  it('cleans caller ids pasted as one tag', () => {
    expect(cleanCallerIds(['02112345678, 02112345679', '02112345678', ' 4001234567 '])).toEqual(['02112345678', '02112345679', '4001234567']);
    expect(badCallerId(['02112345678', '+8613800000000'])).toBeNull();
    expect(badCallerId(['02112345678', '021-1234'])).toBe('021-1234');
  });
});
