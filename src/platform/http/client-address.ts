import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Client addresses as the abuse limits and the logs see them. An IPv4
 * address mapped into IPv6 (`::ffff:1.2.3.4`, a dual-stack listener) is the
 * IPv4 address.
 */
export function normalizeAddress(address: string | undefined | null): string {
  if (!address) return '';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/** The eight 16-bit groups of an IPv6 address (with `::` and an embedded IPv4 tail expanded), or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address.split('%')[0];
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...new Array(missing).fill(0), ...tail];
  return groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff) ? null : groups;
}

/**
 * The unit the per-address limits count: an IPv4 address, or the /64 of an
 * IPv6 address (one subscriber usually holds a whole /64 and could otherwise
 * take a fresh address for every attempt).
 */
export function addressKey(address: string | undefined | null): string {
  const ip = normalizeAddress(address);
  if (isIPv6(ip)) {
    const groups = ipv6Groups(ip);
    if (groups) return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
  }
  return ip;
}

/**
 * What the logs keep of a client address (the privacy page says so): the
 * network, never the host: IPv4 truncated to its /24 (`203.0.113.0/24`),
 * IPv6 to its /48 (`2001:db8:1234::/48`). Anything else is dropped.
 */
export function truncatedAddress(address: string | undefined | null): string | undefined {
  const ip = normalizeAddress(address);
  if (isIPv4(ip)) return `${ip.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(ip)) {
    const groups = ipv6Groups(ip);
    if (groups) return `${groups.slice(0, 3).map((g) => g.toString(16)).join(':')}::/48`;
  }
  return undefined;
}

/** proxy-addr's named ranges, as TRUST_PROXY accepts them. */
const PRESETS: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/**
 * Whether a socket address is one of the proxies TRUST_PROXY names (the
 * same setting Fastify reads X-Forwarded-For with): `true` (or a hop count)
 * trusts every peer, `false` none, otherwise a comma-separated list of
 * addresses, CIDRs and proxy-addr's names (`loopback`, `linklocal`,
 * `uniquelocal`).
 */
export function trustedProxyMatcher(trustProxy: boolean | string): (address: string | undefined) => boolean {
  if (trustProxy === true) return () => true;
  if (trustProxy === false) return () => false;
  const entries = trustProxy.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length > 0 && entries.every((entry) => /^\d+$/.test(entry))) return () => true;
  const list = new BlockList();
  for (const entry of entries.flatMap((e) => PRESETS[e.toLowerCase()] ?? [e])) {
    const [ip, bits] = entry.split('/');
    const address = normalizeAddress(ip);
    const type = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
    if (!type) continue;
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return (raw) => {
    const address = normalizeAddress(raw);
    if (isIPv4(address)) return list.check(address, 'ipv4');
    if (isIPv6(address)) return list.check(address, 'ipv6');
    return false;
  };
}
