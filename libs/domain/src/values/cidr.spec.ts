import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import {
  type Cidr,
  compareCidrs,
  formatCidr,
  normalizeCidrList,
  parseCidr,
} from './cidr.js';

function canonical(text: string): string | null {
  const cidr = parseCidr(text);
  return cidr === null ? null : formatCidr(cidr);
}

function withHostBitsZeroed(cidr: Cidr): Cidr {
  const hostBits = BigInt((cidr.version === 4 ? 32 : 128) - cidr.prefix);
  return { ...cidr, network: (cidr.network >> hostBits) << hostBits };
}

function parsed(text: string): Cidr {
  const cidr = parseCidr(text);
  if (cidr === null) throw new Error(`expected ${text} to parse`);
  return cidr;
}

describe('parseCidr with IPv4', () => {
  it.each([
    ['0.0.0.0', '0.0.0.0/32'],
    ['255.255.255.255', '255.255.255.255/32'],
    ['192.0.2.1', '192.0.2.1/32'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['  172.16.0.0/12\t\n', '172.16.0.0/12'],
  ])('accepts %j as %j', (text, expected) => {
    expect(canonical(text)).toBe(expected);
  });

  it('returns the network as a 32-bit integer and the prefix', () => {
    expect(parseCidr('192.0.2.0/24')).toEqual({
      version: 4,
      network: 0xc0000200n,
      prefix: 24,
    });
  });

  it.each([
    ['an empty string', ''],
    ['only whitespace', '  \t '],
    ['a leading zero in an octet', '010.0.0.1'],
    ['a doubled zero octet', '10.00.0.1'],
    ['an octet above 255', '256.0.0.1'],
    ['a huge octet', '10.0.0.99999999999999999999'],
    ['too few octets', '10.0.0'],
    ['too many octets', '10.0.0.0.1'],
    ['an empty middle part', '10..0.1'],
    ['a trailing dot', '10.0.0.1.'],
    ['a leading dot', '.10.0.0.1'],
    ['a plus sign', '+10.0.0.1'],
    ['a minus sign', '10.-1.0.1'],
    ['a hex octet', '0x0a.0.0.1'],
    ['a single 32-bit integer', '167772161'],
    ['inner whitespace', '10.0. 0.1'],
    ['a non-ASCII digit', '10.0.0.١'],
    ['letters', 'localhost'],
  ])('rejects %s (%j)', (_reason, text) => {
    expect(parseCidr(text)).toBeNull();
  });
});

describe('parseCidr prefixes', () => {
  it.each([
    ['10.0.0.0/0', '0.0.0.0/0'],
    ['10.0.0.0/32', '10.0.0.0/32'],
    ['::/0', '::/0'],
    ['2001:db8::1/128', '2001:db8::1/128'],
  ])('accepts %j as %j', (text, expected) => {
    expect(canonical(text)).toBe(expected);
  });

  it.each([
    ['a leading zero', '10.0.0.0/08'],
    ['a doubled zero', '10.0.0.0/00'],
    ['IPv4 prefix 33', '10.0.0.0/33'],
    ['IPv6 prefix 129', '2001:db8::/129'],
    ['a minus sign', '10.0.0.0/-1'],
    ['a plus sign', '10.0.0.0/+8'],
    ['an empty prefix', '10.0.0.0/'],
    ['a missing address', '/8'],
    ['two prefixes', '10.0.0.0/8/8'],
    ['whitespace around the slash', '10.0.0.0 / 8'],
    ['a hex prefix', '10.0.0.0/0x8'],
    ['a decimal point', '10.0.0.0/8.0'],
    ['an exponent', '10.0.0.0/1e1'],
  ])('rejects %s (%j)', (_reason, text) => {
    expect(parseCidr(text)).toBeNull();
  });
});

describe('host bits', () => {
  it.each([
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['192.168.1.77/26', '192.168.1.64/26'],
    ['255.255.255.255/0', '0.0.0.0/0'],
    ['2001:db8::1/32', '2001:db8::/32'],
    ['2001:db8:abcd:1234::1/50', '2001:db8:abcd::/50'],
    ['ffff:ffff::/17', 'ffff:8000::/17'],
    ['::ffff:10.1.2.3/104', '::ffff:10.0.0.0/104'],
  ])('are zeroed in %j giving %j', (text, expected) => {
    expect(canonical(text)).toBe(expected);
  });

  it('are zeroed in the parsed IPv6 network value', () => {
    expect(parseCidr('2001:db8::1/32')).toEqual({
      version: 6,
      network: 0x20010db8n << 96n,
      prefix: 32,
    });
  });

  it('are zeroed by formatCidr when a caller builds a Cidr by hand', () => {
    expect(formatCidr({ version: 4, network: 0x0a010203n, prefix: 8 })).toBe(
      '10.0.0.0/8',
    );
  });
});

describe('IPv6 text forms (RFC 4291) and canonical output (RFC 5952)', () => {
  it.each([
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1/128'],
    ['2001:0db8:0000:0000:0000:0000:0002:0001', '2001:db8::2:1/128'],
    ['2001:db8:0:0:1:0:0:0', '2001:db8:0:0:1::/128'],
    ['2001:db8::0:1', '2001:db8::1/128'],
    ['2001:DB8::ABCD:Ef01', '2001:db8::abcd:ef01/128'],
    ['0:0:0:0:0:0:0:0', '::/128'],
    ['::', '::/128'],
    ['::1', '::1/128'],
    ['1::', '1::/128'],
    ['0:0:0:0:0:0:0:1', '::1/128'],
    ['1:0:0:0:0:0:0:0', '1::/128'],
    ['fe80::/10', 'fe80::/10'],
  ])('normalizes %j to %j', (text, expected) => {
    expect(canonical(text)).toBe(expected);
  });

  it('leaves a single zero group uncompressed', () => {
    expect(canonical('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1/128');
  });

  it('accepts :: standing for one group but does not write it that way', () => {
    expect(canonical('1:2:3::5:6:7:8')).toBe('1:2:3:0:5:6:7:8/128');
  });

  it('compresses the first of two equally long zero runs', () => {
    expect(canonical('1:0:0:2:3:0:0:4')).toBe('1::2:3:0:0:4/128');
  });

  it('compresses the longer zero run even when it comes second', () => {
    expect(canonical('1:0:0:2:0:0:0:3')).toBe('1:0:0:2::3/128');
  });

  it.each([
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1/128'],
    ['::FFFF:192.0.2.1', '::ffff:192.0.2.1/128'],
    ['0:0:0:0:0:ffff:192.0.2.1', '::ffff:192.0.2.1/128'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221/128'],
    ['::192.0.2.1', '::c000:201/128'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304/128'],
  ])('accepts embedded IPv4 in %j as %j', (text, expected) => {
    expect(canonical(text)).toBe(expected);
  });

  it.each([
    ['::ffff:c000:0201', '::ffff:192.0.2.1/128'],
    ['::ffff:0:0/96', '::ffff:0.0.0.0/96'],
  ])('writes the IPv4-mapped %j in mixed form %j', (text, expected) => {
    expect(canonical(text)).toBe(expected);
  });

  it.each([
    ['a zone id', 'fe80::1%eth0'],
    ['a zone id with a prefix', 'fe80::1%eth0/64'],
    ['brackets', '[::1]'],
    ['brackets with a prefix', '[2001:db8::]/32'],
    ['a triple colon', '1:::2'],
    ['only a triple colon', ':::'],
    ['two double colons', '1::2::3'],
    ['nine groups', '1:2:3:4:5:6:7:8:9'],
    ['eight groups plus ::', '1:2:3:4:5:6:7:8::'],
    ['eight groups after ::', '::1:2:3:4:5:6:7:8'],
    ['eight groups around ::', '1:2:3:4::5:6:7:8'],
    ['seven groups without ::', '1:2:3:4:5:6:7'],
    ['a five-digit group', '12345::'],
    ['a non-hex digit', 'g::1'],
    ['a leading single colon', ':1:2:3:4:5:6:7'],
    ['a trailing single colon', '1:2:3:4:5:6:7:'],
    ['an empty group', '1:2::3:4:5:6::'],
    ['inner whitespace', '2001:db8:: 1'],
    ['a sign', '-1::'],
    ['a hex prefix on a group', '0x1::'],
    ['a short embedded IPv4', '::ffff:192.0.2'],
    ['an embedded octet above 255', '::ffff:192.0.2.256'],
    ['an embedded leading zero', '::ffff:192.0.02.1'],
    ['embedded IPv4 before ::', '1.2.3.4::'],
    ['embedded IPv4 not last', '::1.2.3.4:1'],
    ['embedded IPv4 after seven groups', '1:2:3:4:5:6:7:1.2.3.4'],
  ])('rejects %s (%j)', (_reason, text) => {
    expect(parseCidr(text)).toBeNull();
  });
});

describe('input length limit', () => {
  it('rejects text longer than 64 characters', () => {
    expect(parseCidr('1'.repeat(65))).toBeNull();
  });

  it('counts outer whitespace towards the limit', () => {
    const padding = ' '.repeat(28);
    expect(parseCidr(`${padding}10.0.0.0/8${padding}`)).toBeNull();
  });

  it('accepts padded text of exactly 64 characters', () => {
    const padding = ' '.repeat(27);
    expect(canonical(`${padding}10.0.0.0/8${padding}`)).toBe('10.0.0.0/8');
  });

  it('accepts the longest mixed-form IPv6 CIDR', () => {
    const text = '0000:0000:0000:0000:0000:ffff:255.255.255.255/128';
    expect(canonical(text)).toBe('::ffff:255.255.255.255/128');
  });
});

describe('compareCidrs', () => {
  it('orders IPv4 before IPv6', () => {
    expect(compareCidrs(parsed('255.255.255.255'), parsed('::'))).toBeLessThan(
      0,
    );
    expect(
      compareCidrs(parsed('::'), parsed('255.255.255.255')),
    ).toBeGreaterThan(0);
  });

  it('orders by network, then by prefix', () => {
    const sorted = ['10.1.0.0/16', '10.0.0.0/16', '10.0.0.0/8']
      .map(parsed)
      .sort(compareCidrs)
      .map(formatCidr);
    expect(sorted).toEqual(['10.0.0.0/8', '10.0.0.0/16', '10.1.0.0/16']);
  });

  it('returns zero for equal ranges', () => {
    expect(compareCidrs(parsed('2001:db8::/32'), parsed('2001:DB8::/32'))).toBe(
      0,
    );
  });
});

describe('normalizeCidrList', () => {
  it('removes duplicates that only differ before normalization', () => {
    expect(normalizeCidrList(['10.0.0.1/24', '10.0.0.0/24'])).toEqual({
      ok: true,
      ranges: ['10.0.0.0/24'],
    });
  });

  it('removes IPv6 duplicates written differently', () => {
    const entries = ['2001:DB8::/32', '2001:0db8:0:0::/32', '2001:db8::1/32'];
    expect(normalizeCidrList(entries)).toEqual({
      ok: true,
      ranges: ['2001:db8::/32'],
    });
  });

  it('sorts IPv4 first, then by network and prefix', () => {
    const entries = [
      '::ffff:1.2.3.4',
      '::1',
      '192.168.0.0/16',
      '10.0.0.0/16',
      ' 10.0.0.0/8 ',
    ];
    expect(normalizeCidrList(entries)).toEqual({
      ok: true,
      ranges: [
        '10.0.0.0/8',
        '10.0.0.0/16',
        '192.168.0.0/16',
        '::1/128',
        '::ffff:1.2.3.4/128',
      ],
    });
  });

  it('returns every invalid entry as given, in input order', () => {
    const entries = [' 10.0.0.0/8', ' 010.0.0.1 ', '10.0.0.0/33', '', 'x'];
    expect(normalizeCidrList(entries)).toEqual({
      ok: false,
      invalid: [' 010.0.0.1 ', '10.0.0.0/33', '', 'x'],
    });
  });

  it('accepts an empty list', () => {
    expect(normalizeCidrList([])).toEqual({ ok: true, ranges: [] });
  });
});

const ipv4Cidr: fc.Arbitrary<Cidr> = fc.record({
  version: fc.constant(4 as const),
  network: fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }),
  prefix: fc.integer({ min: 0, max: 32 }),
});

const hextet = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff }));

const ipv6Network = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
  fc
    .array(hextet, { minLength: 8, maxLength: 8 })
    .map((groups) => groups.reduce((v, g) => (v << 16n) | BigInt(g), 0n)),
  fc
    .bigInt({ min: 0n, max: (1n << 32n) - 1n })
    .map((ipv4) => (0xffffn << 32n) | ipv4),
);

const ipv6Cidr: fc.Arbitrary<Cidr> = fc.record({
  version: fc.constant(6 as const),
  network: ipv6Network,
  prefix: fc.integer({ min: 0, max: 128 }),
});

const anyCidr = fc.oneof(ipv4Cidr, ipv6Cidr);

const uncompressedGroup = fc
  .record({
    value: fc.integer({ min: 0, max: 0xffff }),
    width: fc.integer({ min: 1, max: 4 }),
    upper: fc.boolean(),
  })
  .map(({ value, width, upper }) => {
    const text = value.toString(16).padStart(width, '0');
    return { value, text: upper ? text.toUpperCase() : text };
  });

describe('properties', () => {
  it('parses formatted text back to the range with host bits zeroed', () => {
    fc.assert(
      fc.property(anyCidr, (cidr) => {
        expect(parseCidr(formatCidr(cidr))).toEqual(withHostBitsZeroed(cidr));
      }),
    );
  });

  it('formats stably across a parse round trip', () => {
    fc.assert(
      fc.property(anyCidr, (cidr) => {
        const text = formatCidr(cidr);
        expect(formatCidr(parsed(text))).toBe(text);
      }),
    );
  });

  it('parses uncompressed IPv6 text to the value of its canonical form', () => {
    const groups = fc.array(uncompressedGroup, { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(groups, (parts) => {
        const text = parts.map((part) => part.text).join(':');
        const value = parts.reduce((v, p) => (v << 16n) | BigInt(p.value), 0n);
        const cidr = parsed(text);
        expect(cidr).toEqual({ version: 6, network: value, prefix: 128 });
        expect(parseCidr(formatCidr(cidr))).toEqual(cidr);
      }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 70 }), (text) => {
        const cidr = parseCidr(text);
        expect(cidr === null || formatCidr(cidr).length > 0).toBe(true);
      }),
    );
  });
});
