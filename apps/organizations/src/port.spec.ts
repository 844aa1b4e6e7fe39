import { describe, expect, it } from '@jest/globals';

import { readPort } from './port.js';

describe('readPort', () => {
  it('defaults to 3000 when PORT is unset or empty', () => {
    expect(readPort(undefined)).toBe(3000);
    expect(readPort('')).toBe(3000);
  });

  it('accepts an integer port, including 0 for an ephemeral one', () => {
    expect(readPort('8080')).toBe(8080);
    expect(readPort('0')).toBe(0);
  });

  it.each(['abc', '80.5', '-1', '65536'])('refuses "%s"', (value) => {
    expect(() => readPort(value)).toThrow(/PORT must be an integer/);
  });
});
