/**
 * The Lambda runtimes rotation functions use or used, with the dates AWS Lambda stops supporting
 * them. A runtime's end comes in three steps: on its deprecation date Lambda stops patching it,
 * from "block function create" no new function may use it, and from "block function update" an
 * existing one can no longer be changed (code or configuration) until it moves to a newer runtime.
 * Invocations never stop, which is why a deprecated rotation function keeps "working" unpatched.
 *
 * Source: AWS Lambda's "Lambda runtimes" page, its "Supported runtimes" and "Deprecated runtimes"
 * tables (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html, with the policy under
 * #runtime-support-policy), as published in August 2026. The same dates are in cfn-lint 1.58.0's
 * data/AdditionalSpecs/LmbdRuntimeLifecycle.json, which is generated from that page. AWS moves
 * these dates (in 2026 it put python3.10's deprecation from June to 31 October 2026 and every
 * blocked update of older runtimes to 3 March 2027): keep the table to the page.
 *
 * Which runtimes: those of AWS's Secrets Manager rotation templates (Python; functions deployed
 * from them years ago still run 2.7 or 3.7), of the console's bundled function (Node.js, nodejs24.x
 * today) and of functions people write themselves in Node.js or Java. Any other runtime is "not in
 * the table", which the check reports as "cannot tell", never as fine.
 */
export const LAMBDA_RUNTIMES_SOURCE = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html';

export interface LambdaRuntimeLifecycle {
  /** Lambda's runtime identifier, as GetFunction's Runtime gives it. */
  runtime: string;
  /** Deprecation: Lambda no longer patches the runtime (YYYY-MM-DD, UTC). */
  deprecation: string;
  /** From this date no function can be created with the runtime. */
  blockCreate: string;
  /** From this date a function on the runtime can no longer be updated. */
  blockUpdate: string;
  /** The newest runtime of the same language, to move to. */
  successor: string;
}

const PYTHON = 'python3.14';
const NODEJS = 'nodejs24.x';
const JAVA = 'java25';

const row = (runtime: string, deprecation: string, blockCreate: string, blockUpdate: string, successor: string): LambdaRuntimeLifecycle => ({
  runtime,
  deprecation,
  blockCreate,
  blockUpdate,
  successor,
});

export const LAMBDA_RUNTIMES: readonly LambdaRuntimeLifecycle[] = [
  row('python3.14', '2029-06-30', '2029-07-31', '2029-08-31', PYTHON),
  row('python3.13', '2029-06-30', '2029-07-31', '2029-08-31', PYTHON),
  row('python3.12', '2028-10-31', '2028-11-30', '2029-01-10', PYTHON),
  row('python3.11', '2027-06-30', '2027-07-31', '2027-08-31', PYTHON),
  row('python3.10', '2026-10-31', '2027-02-01', '2027-03-03', PYTHON),
  row('python3.9', '2025-12-15', '2027-02-01', '2027-03-03', PYTHON),
  row('python3.8', '2024-10-14', '2027-02-01', '2027-03-03', PYTHON),
  row('python3.7', '2023-12-04', '2024-01-09', '2027-03-03', PYTHON),
  row('python3.6', '2022-07-18', '2022-07-18', '2022-08-29', PYTHON),
  row('python2.7', '2021-07-15', '2021-07-15', '2022-05-30', PYTHON),
  row('nodejs24.x', '2028-04-30', '2028-06-01', '2028-07-01', NODEJS),
  row('nodejs22.x', '2027-04-30', '2027-06-01', '2027-07-01', NODEJS),
  row('nodejs20.x', '2026-04-30', '2027-02-01', '2027-03-03', NODEJS),
  row('nodejs18.x', '2025-09-01', '2027-02-01', '2027-03-03', NODEJS),
  row('nodejs16.x', '2024-06-12', '2027-02-01', '2027-03-03', NODEJS),
  row('java25', '2029-06-30', '2029-07-31', '2029-08-31', JAVA),
  row('java21', '2029-06-30', '2029-07-31', '2029-08-31', JAVA),
  row('java17', '2027-06-30', '2027-07-31', '2027-08-31', JAVA),
  row('java11', '2027-06-30', '2027-07-31', '2027-08-31', JAVA),
  row('java8.al2', '2027-06-30', '2027-07-31', '2027-08-31', JAVA),
];

export const runtimeLifecycle = (runtime: string): LambdaRuntimeLifecycle | undefined => LAMBDA_RUNTIMES.find((r) => r.runtime === runtime);

/** How close to its deprecation a runtime may come before the check warns: six months leave time to test a function on a newer runtime and move it. */
export const RUNTIME_WARNING_DAYS = 180;

const DAY_MS = 86_400_000;
const dayOf = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`);

export type RuntimeStanding =
  | { kind: 'deprecated'; lifecycle: LambdaRuntimeLifecycle; createBlocked: boolean; updateBlocked: boolean }
  | { kind: 'ending'; lifecycle: LambdaRuntimeLifecycle; daysLeft: number }
  | { kind: 'supported'; lifecycle: LambdaRuntimeLifecycle }
  | { kind: 'unlisted' };

/** Where `runtime` stands on `now`: past its deprecation, within RUNTIME_WARNING_DAYS of it, supported, or not in the table. */
export const runtimeStanding = (runtime: string, now: Date): RuntimeStanding => {
  const lifecycle = runtimeLifecycle(runtime);
  if (!lifecycle) return { kind: 'unlisted' };
  const t = now.getTime();
  if (t >= dayOf(lifecycle.deprecation)) {
    return { kind: 'deprecated', lifecycle, createBlocked: t >= dayOf(lifecycle.blockCreate), updateBlocked: t >= dayOf(lifecycle.blockUpdate) };
  }
  const daysLeft = Math.ceil((dayOf(lifecycle.deprecation) - t) / DAY_MS);
  return daysLeft <= RUNTIME_WARNING_DAYS ? { kind: 'ending', lifecycle, daysLeft } : { kind: 'supported', lifecycle };
};
