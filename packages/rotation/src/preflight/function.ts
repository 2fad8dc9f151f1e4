import { strategyLabels, worstVerdict, type PreflightCheck, type PreflightFinding } from '@rotation-console/contracts';
import { shellQuote } from '../shell.ts';
import { LAMBDA_RUNTIMES_SOURCE, RUNTIME_WARNING_DAYS, runtimeStanding } from './runtimes.ts';
import { finding, preflightCheck, type PreflightSubject } from './subject.ts';

/**
 * The "function" preflight check: the rotation function's runtime against Lambda's deprecation
 * dates, its timeout, its strategy against the secret (masterarn), and multi-user rotation through
 * an RDS Proxy. Pure: the runner reads the function and, when it must, RDS's proxies.
 */

/**
 * Below this the check fails. One rotation step is one invocation: a cold start (in a VPC too),
 * two to four Secrets Manager calls, and a database login that may wait the bundled function's
 * connect timeout (DB_CONNECT_TIMEOUT_SECONDS, 5 s) twice, TLS first, then without. Lambda's
 * default of 3 s, or anything under 10 s, ends a step against a slow or distant database before
 * the login can even fail on its own, and leaves AWSPENDING behind.
 */
export const MIN_TIMEOUT_SECONDS = 10;
/** Below this the check warns: AWS's rotation templates and the bundled template set 30 s. */
export const RECOMMENDED_TIMEOUT_SECONDS = 30;

/**
 * An RDS Proxy endpoint: <name>.proxy-<id>.<region>.rds.amazonaws.com (default endpoints) and
 * <endpoint>.endpoint.proxy-<id>.<region>.rds.amazonaws.com (added ones), .com.cn in China.
 */
const RDS_PROXY_HOST = /\.proxy-[a-z0-9]+\.[a-z0-9-]+\.rds\.amazonaws\.com(?:\.cn)?\.?$/i;

export const isRdsProxyHost = (host: string): boolean => RDS_PROXY_HOST.test(host.trim());

/** What RDS said of the database host (DescribeDBProxies), when the host's name did not already tell. */
export type RdsProxyLookup =
  { kind: 'found'; proxyName: string; endpoint: string } | { kind: 'none'; proxiesRead: number } | { kind: 'failed'; reason: string };

/** Whether the check needs RDS's proxies: only multi-user rotation cares, and a proxy's own host name already says it is one. */
export const needsRdsProxyLookup = (subject: PreflightSubject): boolean =>
  subject.strategy === 'alternating-users' && subject.database !== null && !isRdsProxyHost(subject.database.host);

const regionOf = (subject: PreflightSubject): string => subject.fn.arn?.split(':')[3] || subject.secret.region;
const functionRef = (subject: PreflightSubject): string => subject.fn.arn ?? subject.fn.name;
const FROM_FUNCTIONS_PAGE = 'Update it from the Functions page.';

const updateConfiguration = (subject: PreflightSubject, option: string): string =>
  subject.fn.consoles
    ? FROM_FUNCTIONS_PAGE
    : `aws lambda update-function-configuration --function-name ${shellQuote(functionRef(subject))} ${option} --region ${regionOf(subject)}`;

const runtimeFinding = (subject: PreflightSubject, now: Date): { finding: PreflightFinding; evidence: string } => {
  const { runtime } = subject.fn;
  const planned = subject.fn.arn === null;
  if (runtime === null) {
    return {
      finding: finding(
        'unknown',
        planned
          ? `The plan names no runtime for ${subject.fn.name}, so its end of support cannot be read.`
          : `${subject.fn.name} has no Lambda-managed runtime (a container image or an OS-only runtime): its language's end of support cannot be read from Lambda.`,
      ),
      evidence: 'Runtime: none',
    };
  }
  const standing = runtimeStanding(runtime, now);
  if (standing.kind === 'unlisted') {
    return {
      finding: finding(
        'unknown',
        `${runtime} is not in the console's table of Lambda runtimes (${LAMBDA_RUNTIMES_SOURCE}), so its end of support cannot be told.`,
      ),
      evidence: `Runtime: ${runtime} (not in the table)`,
    };
  }
  const { lifecycle } = standing;
  const evidence = `Runtime: ${runtime}; deprecation ${lifecycle.deprecation}, block function create ${lifecycle.blockCreate}, block function update ${lifecycle.blockUpdate} (${LAMBDA_RUNTIMES_SOURCE})`;
  const fix = updateConfiguration(subject, `--runtime ${lifecycle.successor}`);
  if (standing.kind === 'deprecated') {
    const create = standing.createBlocked
      ? `has refused new functions on it since ${lifecycle.blockCreate}`
      : `refuses new functions on it from ${lifecycle.blockCreate}`;
    const update = standing.updateBlocked
      ? `has refused updates to them since ${lifecycle.blockUpdate}`
      : `refuses updates to them from ${lifecycle.blockUpdate}`;
    const subjectText = planned ? `The plan creates ${subject.fn.name} on ${runtime}, which` : `${subject.fn.name} runs ${runtime}, which`;
    return {
      finding: finding(
        'fail',
        `${subjectText} Lambda deprecated on ${lifecycle.deprecation} (no more security patches); Lambda ${create} and ${update}. Move it to ${lifecycle.successor} after testing its code there.`,
        fix,
      ),
      evidence,
    };
  }
  if (standing.kind === 'ending') {
    return {
      finding: finding(
        'warning',
        `${runtime} is deprecated on ${lifecycle.deprecation}, in ${standing.daysLeft} days (under ${RUNTIME_WARNING_DAYS}); Lambda refuses new functions on it from ${lifecycle.blockCreate} and updates from ${lifecycle.blockUpdate}. Move ${subject.fn.name} to ${lifecycle.successor}.`,
        fix,
      ),
      evidence,
    };
  }
  return { finding: finding('pass', `${runtime} is supported until ${lifecycle.deprecation}.`), evidence };
};

const timeoutFinding = (subject: PreflightSubject): { finding: PreflightFinding; evidence: string } => {
  const seconds = subject.fn.timeoutSeconds;
  if (seconds === null) {
    return { finding: finding('unknown', `The timeout of ${subject.fn.name} could not be read.`), evidence: 'Timeout: unknown' };
  }
  const evidence = `Timeout: ${seconds} s`;
  const fix = updateConfiguration(subject, `--timeout ${RECOMMENDED_TIMEOUT_SECONDS}`);
  if (seconds < MIN_TIMEOUT_SECONDS) {
    return {
      finding: finding(
        'fail',
        `${subject.fn.name} times out after ${seconds} s: a rotation step (cold start, Secrets Manager calls, a database login that may wait 5 s twice) does not fit, and a step cut short leaves AWSPENDING behind. AWS's templates use ${RECOMMENDED_TIMEOUT_SECONDS} s.`,
        fix,
      ),
      evidence,
    };
  }
  if (seconds < RECOMMENDED_TIMEOUT_SECONDS) {
    return {
      finding: finding(
        'warning',
        `${subject.fn.name} times out after ${seconds} s, under the ${RECOMMENDED_TIMEOUT_SECONDS} s of AWS's templates: a cold start in a VPC and a slow database login may not fit.`,
        fix,
      ),
      evidence,
    };
  }
  return { finding: finding('pass', `The timeout of ${seconds} s leaves a rotation step time for a cold start and a database login.`), evidence };
};

const strategyFinding = (subject: PreflightSubject): { finding: PreflightFinding; evidence: string } => {
  const label = strategyLabels[subject.strategy];
  if (subject.database === null) {
    return {
      finding: finding('unknown', `The secret's value names no database, so whether it fits ${label} (masterarn) cannot be told.`),
      evidence: `Strategy: ${subject.strategy}; the secret's value names no database`,
    };
  }
  const master = subject.database.masterSecretArn;
  const evidence = `Strategy: ${subject.strategy}; masterarn: ${master ?? 'none'}`;
  if (subject.strategy === 'alternating-users' && master === null) {
    return {
      finding: finding(
        'fail',
        `${label} needs a master secret, and the secret's value has no masterarn: the function's first step (createSecret) refuses the secret.`,
        'Add "masterarn" (the ARN of a secret whose user can create users and grant) to the secret\'s value, or choose Single-user rotation.',
      ),
      evidence,
    };
  }
  if (subject.strategy === 'single-user' && master !== null) {
    return {
      finding: finding(
        'warning',
        `The secret's value names a master secret (masterarn ${master}), which ${label} never uses: the user changes its own password. The secret may have been meant for Multi-user rotation.`,
        'Choose Multi-user rotation to use the master secret, or remove "masterarn" from the secret\'s value.',
      ),
      evidence,
    };
  }
  return {
    finding: finding(
      'pass',
      subject.strategy === 'alternating-users' ? `${label} with the master secret ${master}.` : `${label}: the secret names no master secret, as it should.`,
    ),
    evidence,
  };
};

const proxyFinding = (subject: PreflightSubject, lookup: RdsProxyLookup | null): { finding: PreflightFinding; evidence: string } | null => {
  if (subject.strategy !== 'alternating-users' || subject.database === null) return null;
  const { host } = subject.database;
  const fix = "Point the secret's host at the database's own endpoint (the DB instance's or cluster's), or choose Single-user rotation.";
  const unsupported = `Multi-user rotation through an RDS Proxy is not supported: the master creates and changes users, which it must do on the database itself.`;
  if (isRdsProxyHost(host)) {
    return {
      finding: finding('fail', `${host} is an RDS Proxy endpoint. ${unsupported}`, fix),
      evidence: `Database host: ${host} (an RDS Proxy endpoint by its name)`,
    };
  }
  if (lookup === null) {
    return { finding: finding('unknown', `Whether ${host} is an RDS Proxy endpoint was not looked up.`), evidence: `Database host: ${host}` };
  }
  if (lookup.kind === 'found') {
    return {
      finding: finding('fail', `${host} is the endpoint of the RDS Proxy ${lookup.proxyName}. ${unsupported}`, fix),
      evidence: `Database host: ${host} (RDS Proxy ${lookup.proxyName}, DescribeDBProxies)`,
    };
  }
  if (lookup.kind === 'failed') {
    return {
      finding: finding('unknown', `Whether ${host} is an RDS Proxy endpoint cannot be told: DescribeDBProxies failed (${lookup.reason}).`),
      evidence: `Database host: ${host}`,
    };
  }
  return {
    finding: finding('pass', `${host} is not an RDS Proxy endpoint.`),
    evidence: `Database host: ${host} (none of ${lookup.proxiesRead} RDS Proxies in the region has it as endpoint)`,
  };
};

/** The "function" check of `subject` on `now`; `proxy` is what DescribeDBProxies said, when needsRdsProxyLookup asked for it. */
export const evaluateFunction = (subject: PreflightSubject, { now, proxy = null }: { now: Date; proxy?: RdsProxyLookup | null }): PreflightCheck => {
  const parts = [runtimeFinding(subject, now), timeoutFinding(subject), strategyFinding(subject), proxyFinding(subject, proxy)].filter(
    (p): p is { finding: PreflightFinding; evidence: string } => p !== null,
  );
  const findings = parts.map((p) => p.finding);
  const worst = worstVerdict(findings.map((f) => f.verdict));
  const failing = worst === 'pass' ? undefined : findings.find((f) => f.verdict === worst);
  const runtime = subject.fn.runtime ?? 'no managed runtime';
  return preflightCheck('function', {
    summary: failing?.message ?? `${subject.fn.name}: ${runtime}, ${subject.fn.timeoutSeconds} s timeout, ${strategyLabels[subject.strategy]} fits the secret.`,
    findings,
    evidence: parts.map((p) => p.evidence),
  });
};
