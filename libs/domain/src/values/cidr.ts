export type IpVersion = 4 | 6;

export interface Cidr {
  readonly version: IpVersion;
  readonly network: bigint;
  readonly prefix: number;
}

interface Address {
  readonly version: IpVersion;
  readonly value: bigint;
}

interface ZeroRun {
  readonly start: number;
  end: number;
}

// The longest mixed IPv6 CIDR is 49 characters; anything longer is refused
// before any splitting or pattern matching.
const MAX_INPUT_LENGTH = 64;
const ADDRESS_BITS: Readonly<Record<IpVersion, number>> = { 4: 32, 6: 128 };
const IPV6_GROUPS = 8;
const IPV4_MAPPED_HIGH_BITS = 0xffffn;
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;
const HEXTET = /^[0-9a-f]{1,4}$/i;

/**
 * Parses one IPv4 or IPv6 range, either `address/prefix` or a bare address
 * (a single host). Host bits are zeroed. Returns null when the text is not a
 * valid IPv4/IPv6 address or CIDR.
 */
export function parseCidr(text: string): Cidr | null {
  if (text.length > MAX_INPUT_LENGTH) return null;
  const [addressText = '', prefixText, ...extra] = text.trim().split('/');
  if (extra.length > 0) return null;
  const address = parseAddress(addressText);
  return address === null ? null : withPrefix(address, prefixText);
}

/**
 * Canonical text: IPv4 as a dotted quad, IPv6 per RFC 5952 (IPv4-mapped
 * addresses in the mixed `::ffff:a.b.c.d` form). Always with `/prefix`.
 */
export function formatCidr(cidr: Cidr): string {
  const bits = ADDRESS_BITS[cidr.version];
  const network = zeroHostBits(cidr.network, bits - cidr.prefix);
  const address =
    cidr.version === 4 ? formatIpv4(network) : formatIpv6(network);
  return `${address}/${cidr.prefix}`;
}

/** Total order: IPv4 before IPv6, then by network, then by prefix. */
export function compareCidrs(a: Cidr, b: Cidr): number {
  return (
    a.version - b.version ||
    compareBigints(a.network, b.network) ||
    a.prefix - b.prefix
  );
}

/**
 * Parses every entry, zeroes host bits, removes duplicates (after
 * normalization) and sorts by {@link compareCidrs}. When any entry is
 * invalid, returns the invalid entries as given, in input order.
 */
export function normalizeCidrList(
  entries: readonly string[],
): { ok: true; ranges: string[] } | { ok: false; invalid: string[] } {
  const cidrs = entries.map((entry) => parseCidr(entry));
  const invalid = entries.filter((_, index) => cidrs[index] === null);
  if (invalid.length > 0) return { ok: false, invalid };
  return { ok: true, ranges: uniqueSortedTexts(cidrs.filter(isCidr)) };
}

function uniqueSortedTexts(cidrs: readonly Cidr[]): string[] {
  const texts = [...cidrs].sort(compareCidrs).map(formatCidr);
  return [...new Set(texts)];
}

function compareBigints(a: bigint, b: bigint): number {
  return Number(a > b) - Number(a < b);
}

function parseAddress(text: string): Address | null {
  const version: IpVersion = text.includes(':') ? 6 : 4;
  const value = version === 6 ? parseIpv6(text) : parseIpv4(text);
  return value === null ? null : { version, value };
}

function withPrefix(address: Address, prefixText?: string): Cidr | null {
  const bits = ADDRESS_BITS[address.version];
  const prefix =
    prefixText === undefined ? bits : parseDecimal(prefixText, bits);
  if (prefix === null) return null;
  const network = zeroHostBits(address.value, bits - prefix);
  return { version: address.version, network, prefix };
}

function zeroHostBits(value: bigint, hostBits: number): bigint {
  const shift = BigInt(hostBits);
  return (value >> shift) << shift;
}

function parseDecimal(text: string, max: number): number | null {
  if (!DECIMAL.test(text)) return null;
  const value = Number(text);
  return value <= max ? value : null;
}

function parseIpv4(text: string): bigint | null {
  const octets = text.split('.').map((part) => parseDecimal(part, 255));
  if (octets.length !== 4 || !octets.every(isNumber)) return null;
  return octets.reduce((value, octet) => (value << 8n) | BigInt(octet), 0n);
}

function parseIpv6(text: string): bigint | null {
  const hexText = replaceEmbeddedIpv4(text);
  const groups = hexText === null ? null : parseIpv6Groups(hexText);
  return groups === null ? null : fromHextets(groups);
}

function replaceEmbeddedIpv4(text: string): string | null {
  const start = text.lastIndexOf(':') + 1;
  const last = text.slice(start);
  if (!last.includes('.')) return text;
  const value = parseIpv4(last);
  if (value === null) return null;
  return text.slice(0, start) + toHextets(value, 2).map(hex).join(':');
}

function parseIpv6Groups(text: string): number[] | null {
  const [head = '', tail, ...extra] = text.split('::');
  if (extra.length > 0) return null;
  const headGroups = parseHextets(head);
  if (headGroups === null) return null;
  if (tail === undefined) {
    return headGroups.length === IPV6_GROUPS ? headGroups : null;
  }
  const tailGroups = parseHextets(tail);
  return tailGroups === null ? null : expandGap(headGroups, tailGroups);
}

function parseHextets(text: string): number[] | null {
  if (text === '') return [];
  const groups = text.split(':').map(parseHextet);
  return groups.every(isNumber) ? groups : null;
}

function parseHextet(text: string): number | null {
  return HEXTET.test(text) ? parseInt(text, 16) : null;
}

// RFC 4291: `::` stands for one or more groups of zeros, never for none.
function expandGap(head: number[], tail: number[]): number[] | null {
  const gap = IPV6_GROUPS - head.length - tail.length;
  if (gap < 1) return null;
  return [...head, ...new Array<number>(gap).fill(0), ...tail];
}

function isNumber(value: number | null): value is number {
  return value !== null;
}

function isCidr(value: Cidr | null): value is Cidr {
  return value !== null;
}

function fromHextets(groups: readonly number[]): bigint {
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

function toHextets(value: bigint, count: number): number[] {
  return Array.from({ length: count }, (_, index) => {
    const shift = BigInt(16 * (count - 1 - index));
    return Number((value >> shift) & 0xffffn);
  });
}

function hex(group: number): string {
  return group.toString(16);
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => (value >> shift) & 0xffn).join('.');
}

function formatIpv6(value: bigint): string {
  if (value >> 32n === IPV4_MAPPED_HIGH_BITS) {
    return `::ffff:${formatIpv4(value & 0xffffffffn)}`;
  }
  const groups = toHextets(value, IPV6_GROUPS);
  const texts = groups.map(hex);
  const run = longestZeroRun(groups);
  if (run === undefined) return texts.join(':');
  const head = texts.slice(0, run.start).join(':');
  return `${head}::${texts.slice(run.end).join(':')}`;
}

function longestZeroRun(groups: readonly number[]): ZeroRun | undefined {
  return zeroRuns(groups)
    .filter((run) => runLength(run) >= 2)
    .reduce<ZeroRun | undefined>(
      (best, run) =>
        best === undefined || runLength(run) > runLength(best) ? run : best,
      undefined,
    );
}

function zeroRuns(groups: readonly number[]): ZeroRun[] {
  const runs: ZeroRun[] = [];
  groups.forEach((group, index) => {
    if (group !== 0) return;
    const last = runs[runs.length - 1];
    if (last?.end === index) last.end = index + 1;
    else runs.push({ start: index, end: index + 1 });
  });
  return runs;
}

function runLength(run: ZeroRun): number {
  return run.end - run.start;
}
