/**
 * IAM's evaluation of policy statements, as far as it can be done from the statements alone: which
 * statements apply to one request (action, resource, principal, conditions), and whether an Allow
 * or an explicit Deny follows. Every answer is three-valued: "maybe" where the statements depend
 * on something the console cannot see (a condition key it has no value for, an operator it does not
 * evaluate), so a caller says "cannot tell" instead of guessing. The preflight's permissions check
 * uses it where IAM's policy simulator is not there (emulators) and for the policies the simulator
 * does not read (key policies, secret and function resource policies).
 */

export type Tri = 'yes' | 'no' | 'maybe';

export const and = (...values: Tri[]): Tri => (values.includes('no') ? 'no' : values.every((v) => v === 'yes') ? 'yes' : 'maybe');
export const or = (...values: Tri[]): Tri => (values.includes('yes') ? 'yes' : values.includes('maybe') ? 'maybe' : 'no');

export interface IamStatement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** Where a policy was read from: what a fix for one of its statements changes. */
export type PolicySource =
  | { kind: 'inline'; roleName: string; policyName: string }
  | { kind: 'managed'; policyArn: string }
  | { kind: 'boundary'; policyArn: string }
  | { kind: 'planned' }
  | { kind: 'key'; keyArn: string }
  | { kind: 'secret'; secretArn: string }
  | { kind: 'function'; functionArn: string }
  /** IAM's policy simulator's answer on a role: it names the policy, not the statement. */
  | { kind: 'simulator'; roleArn: string };

/** A policy as read: its statements as AWS returned them (anything but an object is ignored). */
export interface NamedPolicy {
  /** For people, e.g. `inline policy "Rotation" of role app-rotation`. */
  name: string;
  source: PolicySource;
  statements: unknown[];
}

/**
 * The request's context, by condition key (matched case-insensitively). A key with [] is known to
 * be absent; a key not here is unknown, and a condition on it is "maybe".
 */
export type RequestContext = Readonly<Record<string, readonly string[]>>;

export interface AccessRequest {
  action: string;
  resource: string;
  context: RequestContext;
}

/** Who makes the request, as a resource policy's Principal would name them. */
export type Caller = { kind: 'role'; arn: string | null; accountId: string } | { kind: 'service'; service: string };

/** One statement that decided (or may decide) a request. */
export interface StatementRef {
  policy: NamedPolicy;
  /** `"Sid"` or `#2` (its place in the policy). */
  statement: string;
  /** Whether it applies for sure or depends on a condition the console could not evaluate. */
  applies: Tri;
}

export interface PolicyDecision {
  allow: Tri;
  deny: Tri;
  allowedBy: StatementRef[];
  deniedBy: StatementRef[];
  /** Conditions that made a statement "maybe", e.g. `StringEquals aws:SourceVpc`. */
  unevaluated: string[];
}

const list = <T>(v: T | readonly T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? [...(v as T[])] : [v as T]);

const globRegex = (pattern: string, flags: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replaceAll('*', '.*')
      .replaceAll('?', '.')}$`,
    flags,
  );

/** IAM's action match: case-insensitive, `*` any run of characters, `?` one. */
export const actionMatches = (pattern: string, action: string): boolean => globRegex(pattern, 'i').test(action);

const POLICY_VARIABLE = /\$\{([^}]+)\}/g;

/**
 * A policy variable (`${aws:PrincipalAccount}`) replaced with its one value in the context; null
 * when one is not known (the statement then "maybe" applies). `${*}`, `${?}` and `${$}` are the
 * literal characters.
 */
const substitute = (text: string, context: RequestContext): string | null => {
  let unknown = false;
  const out = text.replace(POLICY_VARIABLE, (_m, name: string) => {
    if (name === '*' || name === '?' || name === '$') return name;
    const values = lookup(context, name);
    if (!values || values.length !== 1) {
      unknown = true;
      return '';
    }
    return values[0]!;
  });
  return unknown ? null : out;
};

const lookup = (context: RequestContext, key: string): readonly string[] | undefined => {
  const wanted = key.toLowerCase();
  for (const [k, v] of Object.entries(context)) if (k.toLowerCase() === wanted) return v;
  return undefined;
};

/** IAM's resource match: case-sensitive, `*` and `?` wildcards, policy variables from the context. */
export const resourceMatches = (pattern: string, resource: string, context: RequestContext = {}): Tri => {
  const concrete = pattern.includes('${') ? substitute(pattern, context) : pattern;
  if (concrete === null) return 'maybe';
  return concrete === '*' || globRegex(concrete, '').test(resource) ? 'yes' : 'no';
};

const matchesAction = (s: IamStatement, action: string): boolean => {
  if (s.Action !== undefined) return list(s.Action).some((p) => actionMatches(p, action));
  if (s.NotAction !== undefined) return !list(s.NotAction).some((p) => actionMatches(p, action));
  return false;
};

const matchesResource = (s: IamStatement, request: AccessRequest): Tri => {
  if (s.Resource !== undefined) return or(...list(s.Resource).map((p) => resourceMatches(p, request.resource, request.context)));
  if (s.NotResource !== undefined) {
    const named = or(...list(s.NotResource).map((p) => resourceMatches(p, request.resource, request.context)));
    return named === 'yes' ? 'no' : named === 'no' ? 'yes' : 'maybe';
  }
  return 'no';
};

/** How a Principal names the caller: as itself (or everyone), through its account (root), or not. */
export type PrincipalMatch = 'direct' | 'account' | 'none';

const ACCOUNT_PRINCIPAL = /^(?:arn:aws[a-z-]*:iam::(\d{12}):root|(\d{12}))$/;

const principalValues = (principal: unknown): { aws: string[]; service: string[]; any: boolean } => {
  if (principal === '*') return { aws: [], service: [], any: true };
  if (typeof principal !== 'object' || principal === null) return { aws: [], service: [], any: false };
  const p = principal as Record<string, unknown>;
  const aws = list(p.AWS as string | string[] | undefined).map(String);
  const service = list(p.Service as string | string[] | undefined).map(String);
  return { aws, service, any: aws.includes('*') };
};

export const principalMatch = (principal: unknown, caller: Caller): PrincipalMatch => {
  const { aws, service, any } = principalValues(principal);
  if (any) return 'direct';
  if (caller.kind === 'service') return service.includes(caller.service) ? 'direct' : 'none';
  if (caller.arn && aws.includes(caller.arn)) return 'direct';
  return aws.some((a) => {
    const m = ACCOUNT_PRINCIPAL.exec(a);
    return m !== null && (m[1] ?? m[2]) === caller.accountId;
  })
    ? 'account'
    : 'none';
};

/**
 * NotPrincipal: the statement applies to everyone it does not name. Naming the account's root
 * excludes the root user only, not the account's roles (as IAM documents), so only the role itself
 * (or the service) is excluded here.
 */
const notPrincipalExcludes = (notPrincipal: unknown, caller: Caller): boolean => {
  const { aws, service, any } = principalValues(notPrincipal);
  if (any) return true;
  return caller.kind === 'service' ? service.includes(caller.service) : caller.arn !== null && aws.includes(caller.arn);
};

const conditionValues = (v: unknown): string[] => list(v as unknown[]).map((x) => String(x));

type Compare = (policyValue: string, contextValue: string) => boolean;

const COMPARES: Record<string, { compare: Compare; negated: boolean }> = {
  stringequals: { compare: (p, c) => p === c, negated: false },
  stringnotequals: { compare: (p, c) => p === c, negated: true },
  stringequalsignorecase: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: false },
  stringnotequalsignorecase: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: true },
  stringlike: { compare: (p, c) => globRegex(p, '').test(c), negated: false },
  stringnotlike: { compare: (p, c) => globRegex(p, '').test(c), negated: true },
  // ARN operators match with wildcards, segment by segment; a whole-string glob gives the same for well-formed ARNs.
  arnequals: { compare: (p, c) => globRegex(p, '').test(c), negated: false },
  arnlike: { compare: (p, c) => globRegex(p, '').test(c), negated: false },
  arnnotequals: { compare: (p, c) => globRegex(p, '').test(c), negated: true },
  arnnotlike: { compare: (p, c) => globRegex(p, '').test(c), negated: true },
  bool: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: false },
};

/** One operator on one key: yes, no, or maybe (the key's value is unknown, or the operator is not evaluated). */
const evaluateCondition = (operator: string, key: string, policyValue: unknown, context: RequestContext): Tri => {
  let op = operator.toLowerCase();
  let set: 'any' | 'all' | null = null;
  if (op.startsWith('foranyvalue:')) [set, op] = ['any', op.slice('foranyvalue:'.length)];
  else if (op.startsWith('forallvalues:')) [set, op] = ['all', op.slice('forallvalues:'.length)];
  const ifExists = op.endsWith('ifexists');
  if (ifExists) op = op.slice(0, -'ifexists'.length);
  const values = lookup(context, key);

  if (op === 'null') {
    if (values === undefined) return 'maybe';
    const wantsAbsent = conditionValues(policyValue).some((v) => v.toLowerCase() === 'true');
    return (values.length === 0) === wantsAbsent ? 'yes' : 'no';
  }
  const known = COMPARES[op];
  if (!known) return 'maybe';
  if (values === undefined) return 'maybe';
  if (values.length === 0) {
    // Absent key: IfExists and ForAllValues hold, negated operators hold, the others do not.
    return ifExists || set === 'all' || known.negated ? 'yes' : 'no';
  }
  const wanted: string[] = [];
  for (const raw of conditionValues(policyValue)) {
    const concrete = raw.includes('${') ? substitute(raw, context) : raw;
    if (concrete === null) return 'maybe';
    wanted.push(concrete);
  }
  const matchesOne = (c: string) => wanted.some((p) => known.compare(p, c));
  if (set === 'all') return values.every((c) => (known.negated ? !matchesOne(c) : matchesOne(c))) ? 'yes' : 'no';
  if (known.negated) return values.some((c) => matchesOne(c)) ? 'no' : 'yes';
  return values.some((c) => matchesOne(c)) ? 'yes' : 'no';
};

/** A statement's Condition block: every operator and key must hold. Names what could not be evaluated. */
export const evaluateConditions = (condition: IamStatement['Condition'], context: RequestContext): { holds: Tri; unevaluated: string[] } => {
  const results: Tri[] = [];
  const unevaluated: string[] = [];
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    for (const [key, value] of Object.entries(keys ?? {})) {
      const result = evaluateCondition(operator, key, value, context);
      if (result === 'maybe') unevaluated.push(`${operator} ${key}`);
      results.push(result);
    }
  }
  return { holds: and(...results), unevaluated };
};

/** Names of the condition keys a statement tests (as written), e.g. for "has it a SourceAccount condition?". */
export const conditionKeys = (s: IamStatement): string[] => Object.values(s.Condition ?? {}).flatMap((keys) => Object.keys(keys ?? {}));

const statementLabel = (s: IamStatement, index: number) => (s.Sid ? `"${s.Sid}"` : `#${index + 1}`);

export interface StatementMatch {
  statement: IamStatement;
  ref: StatementRef;
  /** Whether the Principal names the caller; null in an identity policy (no Principal). */
  principal: PrincipalMatch | null;
  unevaluated: string[];
}

/** The statements of `policies` that (may) apply to `request`, with whether they do. */
export const matchingStatements = (policies: readonly NamedPolicy[], request: AccessRequest, caller?: Caller): StatementMatch[] => {
  const matches: StatementMatch[] = [];
  for (const policy of policies) {
    policy.statements.forEach((raw, index) => {
      if (typeof raw !== 'object' || raw === null) return;
      const s = raw as IamStatement;
      if (!matchesAction(s, request.action)) return;
      let principal: PrincipalMatch | null = null;
      if (caller) {
        if (s.NotPrincipal !== undefined) principal = notPrincipalExcludes(s.NotPrincipal, caller) ? 'none' : 'direct';
        else principal = principalMatch(s.Principal, caller);
        if (principal === 'none') return;
      }
      const resource = matchesResource(s, request);
      if (resource === 'no') return;
      const { holds, unevaluated } = evaluateConditions(s.Condition, request.context);
      const applies = and(resource, holds);
      if (applies === 'no') return;
      matches.push({ statement: s, ref: { policy, statement: statementLabel(s, index), applies }, principal, unevaluated });
    });
  }
  return matches;
};

const decide = (matches: StatementMatch[], allowing: (m: StatementMatch) => boolean): PolicyDecision => {
  const denies = matches.filter((m) => m.statement.Effect === 'Deny');
  const allows = matches.filter((m) => m.statement.Effect === 'Allow' && allowing(m));
  return {
    allow: or(...allows.map((m) => m.ref.applies)),
    deny: or(...denies.map((m) => m.ref.applies)),
    allowedBy: allows.map((m) => m.ref),
    deniedBy: denies.map((m) => m.ref),
    unevaluated: [...new Set([...allows, ...denies].flatMap((m) => m.unevaluated))],
  };
};

/** Identity policies (a role's inline, managed or boundary policies): Allow and explicit Deny for the request. */
export const evaluateIdentityPolicies = (policies: readonly NamedPolicy[], request: AccessRequest): PolicyDecision =>
  decide(matchingStatements(policies, request), () => true);

/**
 * A resource policy (key policy, secret or function policy) for a caller. `direct` is what it allows
 * the caller itself (by name or to everyone): enough on its own in the same account. `account` is
 * what it allows the caller's account (root): that delegates to the caller's IAM policies. A Deny
 * naming the caller, everyone or its account applies.
 */
export const evaluateResourcePolicy = (
  policy: NamedPolicy | null,
  request: AccessRequest,
  caller: Caller,
): { direct: PolicyDecision; account: PolicyDecision; deny: Tri; deniedBy: StatementRef[] } => {
  const matches = policy ? matchingStatements([policy], request, caller) : [];
  const direct = decide(matches, (m) => m.principal === 'direct');
  const account = decide(matches, (m) => m.principal === 'account');
  return { direct, account, deny: direct.deny, deniedBy: direct.deniedBy };
};

/** No policy at all: nothing allowed, nothing denied. */
export const NO_DECISION: PolicyDecision = { allow: 'no', deny: 'no', allowedBy: [], deniedBy: [], unevaluated: [] };

/** IAM's policy simulator's answer for one action and resource (the fields the console reads). */
export interface SimulatorResult {
  EvalDecision?: string;
  MatchedStatements?: { SourcePolicyId?: string }[];
  MissingContextValues?: string[];
}

/**
 * A simulator answer as a decision. The simulator treats a condition key it was given no value for
 * as absent: then its "implicitDeny" may be an Allow it could not see, and its "allowed" may hide a
 * Deny; both become "maybe".
 */
export const fromSimulator = (result: SimulatorResult, roleArn: string): PolicyDecision => {
  const missing = result.MissingContextValues ?? [];
  const refs = (applies: Tri): StatementRef[] =>
    (result.MatchedStatements ?? []).map((m) => ({
      policy: { name: m.SourcePolicyId ? `policy ${m.SourcePolicyId}` : `the policies of ${roleArn}`, source: { kind: 'simulator', roleArn }, statements: [] },
      statement: '',
      applies,
    }));
  const unsure: Tri = missing.length > 0 ? 'maybe' : 'no';
  switch (result.EvalDecision) {
    case 'allowed':
      return { allow: 'yes', deny: unsure, allowedBy: refs('yes'), deniedBy: [], unevaluated: missing };
    case 'explicitDeny':
      return { allow: 'no', deny: 'yes', allowedBy: [], deniedBy: refs('yes'), unevaluated: missing };
    case 'implicitDeny':
      return { allow: unsure, deny: 'no', allowedBy: [], deniedBy: [], unevaluated: missing };
    default:
      return { allow: 'maybe', deny: 'maybe', allowedBy: [], deniedBy: [], unevaluated: [`simulator decision ${result.EvalDecision ?? 'none'}`] };
  }
};
