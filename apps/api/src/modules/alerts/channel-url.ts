import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * A webhook's or Slack's URL: checked before it is stored and again at every send, so the
 * console is not turned against its own network (SSRF). http:// only to the machine itself;
 * never an address that is link-local or a cloud's instance metadata service, whatever name
 * resolves to it (and a name that resolves to one at send time is refused then: DNS rebinding).
 */

const forbidden = new BlockList();
// IPv4 link-local (169.254.169.254 is EC2's, ECS's and GCP's metadata service), IPv6 link-local,
// EC2's IPv6 metadata address, Alibaba's metadata address, and "this network".
forbidden.addSubnet('169.254.0.0', 16, 'ipv4');
forbidden.addSubnet('0.0.0.0', 8, 'ipv4');
forbidden.addAddress('100.100.100.200', 'ipv4');
forbidden.addSubnet('fe80::', 10, 'ipv6');
forbidden.addAddress('fd00:ec2::254', 'ipv6');
forbidden.addAddress('::', 'ipv6');

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** An IPv4 address written as IPv6 (::ffff:169.254.169.254) is judged as the IPv4 one. */
const plain = (address: string) => (address.toLowerCase().startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address);
const family = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

export const isForbiddenAddress = (address: string): boolean => {
  const a = plain(address);
  return forbidden.check(a, family(a));
};

export const isLoopback = (address: string): boolean => {
  const a = plain(address);
  return loopback.check(a, family(a));
};

export class ChannelUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelUrlError';
  }
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

const resolveAll = (host: string): Promise<string[]> =>
  isIP(host)
    ? Promise.resolve([host])
    : new Promise((resolve, reject) =>
        dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve((addresses as LookupAddress[]).map((a) => a.address)))),
      );

/**
 * Parses and checks a channel's URL; throws ChannelUrlError with the words for the person.
 * Resolves the host: a name that does not resolve is refused too (a typo would fail every alert).
 */
export const checkChannelUrl = async (raw: string): Promise<URL> => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ChannelUrlError('The URL is not valid: enter a URL such as https://hooks.example.com/rotation.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ChannelUrlError('The URL must start with https://.');
  if (url.username || url.password) throw new ChannelUrlError('The URL must not hold a user name or password.');
  const host = hostOf(url);
  const httpsOnly = 'The URL must start with https:// (http:// is allowed only to this machine, 127.0.0.1 or ::1).';
  if (url.protocol === 'http:' && host !== 'localhost' && !(isIP(host) && isLoopback(host))) throw new ChannelUrlError(httpsOnly);
  let addresses: string[];
  try {
    addresses = await resolveAll(host);
  } catch {
    throw new ChannelUrlError(`The host ${host} could not be resolved.`);
  }
  if (addresses.length === 0) throw new ChannelUrlError(`The host ${host} could not be resolved.`);
  const bad = addresses.find(isForbiddenAddress);
  if (bad) throw new ChannelUrlError(`The host ${host} resolves to ${bad}, a link-local or instance metadata address; alerts cannot go there.`);
  if (url.protocol === 'http:' && !addresses.every(isLoopback)) throw new ChannelUrlError(httpsOnly);
  return url;
};

/**
 * A `lookup` for node:http(s) that refuses forbidden addresses, so a name that resolved well when
 * the channel was made cannot be pointed at the metadata service later.
 */
export const guardedLookup: typeof dnsLookup = ((hostname: string, options: unknown, callback: unknown) => {
  const cb = (typeof options === 'function' ? options : callback) as (
    err: NodeJS.ErrnoException | null,
    address: string | LookupAddress[],
    family?: number,
  ) => void;
  const opts = (typeof options === 'function' ? {} : (options ?? {})) as { all?: boolean };
  dnsLookup(hostname, { ...opts, all: true }, (error, addresses) => {
    if (error) return cb(error, '', 0);
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => isForbiddenAddress(a.address));
    if (bad) return cb(Object.assign(new Error(`${hostname} resolves to ${bad.address}, a link-local or metadata address`), { code: 'EFORBIDDEN' }), '', 0);
    if (opts.all) return cb(null, list);
    const first = list[0];
    return first ? cb(null, first.address, first.family) : cb(Object.assign(new Error(`${hostname} did not resolve`), { code: 'ENOTFOUND' }), '', 0);
  });
}) as typeof dnsLookup;

/** The host and a masked path: "hooks.slack.com/serv…Xy12" (the path of an incoming webhook is its key). */
export const maskUrl = (raw: string): string => {
  try {
    const url = new URL(raw);
    const path = url.pathname + url.search;
    const masked = path.length <= 1 ? '' : path.length <= 10 ? '/…' : `${path.slice(0, 5)}…${path.slice(-4)}`;
    return `${url.host}${masked}`;
  } catch {
    return '(not a valid URL)';
  }
};
