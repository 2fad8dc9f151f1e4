import type { PreflightCheck, PreflightFinding } from '@rotation-console/contracts';
import {
  and,
  conditionKeys,
  evaluateIdentityPolicies,
  evaluateResourcePolicy,
  matchingStatements,
  NO_DECISION,
  or,
  type AccessRequest,
  type Caller,
  type NamedPolicy,
  type PolicyDecision,
  type RequestContext,
  type StatementRef,
  type Tri,
} from '../iam-policy.ts';
import { grantMasterCli } from '../master-grants.ts';
import { INVOKE_STATEMENT_ID, SECRETS_MANAGER_PRINCIPAL } from '../plan.ts';
import { inRegion, shellQuote } from '../shell.ts';
import { finding, preflightCheck, type PreflightSubject } from './subject.ts';

/**
 * The preflight's permissions check (issue 15), from what the API read: can the function's role do
 * what rotation needs on the secret (and its master, and their customer managed KMS keys), and may
 * Secrets Manager invoke the function? What rotation needs is AWS's list for rotation functions (the
 * statements the console's own template grants): DescribeSecret, GetSecretValue, PutSecretValue and
 * UpdateSecretVersionStage on the secret, GetRandomPassword, GetSecretValue on the master secret
 * (alternating users), kms:Decrypt and kms:GenerateDataKey on the secret's key, kms:Decrypt on the
 * master's key.
 */

/** A read's result: its value, or why AWS refused it (that part becomes "cannot tell"). */
export type Read<T> = { value: T } | { error: string };

const failed = <T>(read: Read<T>): read is { error: string } => 'error' in read;

export interface KmsGrant {
  grantId: string;
  granteePrincipal: string;
  operations: string[];
  /** EncryptionContextEquals / EncryptionContextSubset, when the grant has any. */
  constraints: { encryptionContextEquals?: Record<string, string>; encryptionContextSubset?: Record<string, string> } | null;
}

export interface KmsKeyFacts {
  /** How the subject names the key (id, ARN or alias). */
  given: string;
  /** DescribeKey's answer. */
  key: Read<{ arn: string; manager: string }>;
  /** A customer managed key's policy ("default") and grants; null for an AWS managed key (not read). */
  policy: Read<NamedPolicy> | null;
  grants: Read<KmsGrant[]> | null;
}

/** The role's own policies: its statements as read, the plan's, or IAM's policy simulator's answers. */
export type RoleFacts =
  | { by: 'statements'; policies: Read<NamedPolicy[]>; boundary: Read<NamedPolicy | null> }
  | { by: 'simulator'; decisions: ReadonlyMap<string, Read<PolicyDecision>> }
  | { by: 'plan' };

export interface PermissionsFacts {
  subject: PreflightSubject;
  role: RoleFacts;
  secretKey: KmsKeyFacts | null;
  masterKey: KmsKeyFacts | null;
  /** The secret's resource policy (null: it has none). */
  secretPolicy: Read<NamedPolicy | null>;
  /** The master secret's resource policy; null when there is no master to check. */
  masterPolicy: Read<NamedPolicy | null> | null;
  /** The master secret's own rotation function (DescribeSecret), for conditions on it; null inside: none. */
  masterRotationFunction: Read<string | null> | null;
  /** The function's resource policy (null inside: it has none); null for a planned function. */
  functionPolicy: Read<NamedPolicy | null> | null;
  /** How the role's policies were decided (PreflightCheck.method). */
  method: string;
}

export type RequirementId = 'secret' | 'random-password' | 'master' | 'secret-key' | 'master-key';

export interface PermissionRequirement {
  id: RequirementId;
  /** For people, e.g. `secret prod/db`. */
  what: string;
  actions: string[];
  resource: string;
  context: RequestContext;
}

export const SECRET_ACTIONS = [
  'secretsmanager:DescribeSecret',
  'secretsmanager:GetSecretValue',
  'secretsmanager:PutSecretValue',
  'secretsmanager:UpdateSecretVersionStage',
] as const;

/** The key of one action on one resource, e.g. for the simulator's answers. */
export const requestKey = (action: string, resource: string) => `${action} ${resource}`;

const AWS_MANAGED_SECRETS_KEY = /(^|:)alias\/aws\/secretsmanager$/;

/** The key's ARN when rotation needs its key policy and grants: a customer managed key (not aws/secretsmanager). */
export const customerManagedKeyArn = (key: KmsKeyFacts | null): string | null => {
  if (!key || failed(key.key) || AWS_MANAGED_SECRETS_KEY.test(key.given)) return null;
  return key.key.value.manager === 'CUSTOMER' ? key.key.value.arn : null;
};

const partitionOf = (arn: string) => arn.split(':')[1] ?? 'aws';

/** The function rotation will call: its ARN, or the one the plan's function will have. */
export const rotationFunctionArn = (subject: PreflightSubject): string =>
  subject.fn.arn ?? `arn:${partitionOf(subject.secret.arn)}:lambda:${subject.secret.region}:${subject.secret.accountId}:function:${subject.fn.name}`;

/** The master secret rotation reads (alternating users), if one is named. */
const masterSecretArn = (subject: PreflightSubject): string | null =>
  subject.strategy === 'alternating-users' ? (subject.database?.masterSecretArn ?? null) : null;

/**
 * What the console knows of the requests the function will make, for conditions: who asks, the
 * function the secret will name (secretsmanager:resource/AllowRotationLambdaArn, once rotation is
 * on), and for KMS that Secrets Manager calls it on the role's behalf with the secret's ARN in the
 * encryption context.
 */
const contexts = (subject: PreflightSubject, masterRotationFunction: Read<string | null> | null) => {
  const { accountId, region } = subject.secret;
  const base: Record<string, string[]> = {
    'aws:PrincipalAccount': [accountId],
    'aws:PrincipalType': ['AssumedRole'],
    'aws:SecureTransport': ['true'],
    'aws:RequestedRegion': [region],
    'aws:ResourceAccount': [accountId],
    ...(subject.fn.roleArn ? { 'aws:PrincipalArn': [subject.fn.roleArn] } : {}),
  };
  const kms = (secretArn: string) => ({
    ...base,
    'kms:ViaService': [`secretsmanager.${region}.amazonaws.com`],
    'kms:CallerAccount': [accountId],
    'kms:EncryptionContext:SecretARN': [secretArn],
  });
  return {
    secret: { ...base, 'secretsmanager:SecretId': [subject.secret.arn], 'secretsmanager:resource/AllowRotationLambdaArn': [rotationFunctionArn(subject)] },
    randomPassword: base,
    master: (arn: string) => ({
      ...base,
      'secretsmanager:SecretId': [arn],
      ...(masterRotationFunction && !failed(masterRotationFunction)
        ? { 'secretsmanager:resource/AllowRotationLambdaArn': masterRotationFunction.value ? [masterRotationFunction.value] : [] }
        : {}),
    }),
    kms,
  };
};

/** Every action on every resource rotation needs, for this subject and its keys as read. */
export const permissionRequirements = (
  subject: PreflightSubject,
  read: Pick<PermissionsFacts, 'secretKey' | 'masterKey' | 'masterRotationFunction'>,
): PermissionRequirement[] => {
  const ctx = contexts(subject, read.masterRotationFunction);
  const out: PermissionRequirement[] = [
    { id: 'secret', what: `secret ${subject.secret.name}`, actions: [...SECRET_ACTIONS], resource: subject.secret.arn, context: ctx.secret },
    { id: 'random-password', what: 'any resource (it names none)', actions: ['secretsmanager:GetRandomPassword'], resource: '*', context: ctx.randomPassword },
  ];
  const master = masterSecretArn(subject);
  if (master)
    out.push({ id: 'master', what: `master secret ${master}`, actions: ['secretsmanager:GetSecretValue'], resource: master, context: ctx.master(master) });
  const secretKey = customerManagedKeyArn(read.secretKey);
  if (secretKey) {
    out.push({
      id: 'secret-key',
      what: `KMS key ${secretKey}`,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resource: secretKey,
      context: ctx.kms(subject.secret.arn),
    });
  }
  const masterKey = master ? customerManagedKeyArn(read.masterKey) : null;
  if (master && masterKey) {
    out.push({ id: 'master-key', what: `the master secret's KMS key ${masterKey}`, actions: ['kms:Decrypt'], resource: masterKey, context: ctx.kms(master) });
  }
  return out;
};

/** The context entries of a requirement, as `aws iam simulate-principal-policy --context-entries` takes them. */
export const contextEntries = (context: RequestContext) =>
  Object.entries(context)
    .filter(([, values]) => values.length > 0)
    .map(([key, values]) => ({ key, values: [...values], type: key === 'aws:SecureTransport' ? ('boolean' as const) : ('string' as const) }));

// ---- Deciding one action ----

type Outcome = 'allow' | 'deny' | 'none' | 'unknown';

interface ActionResult {
  action: string;
  outcome: Outcome;
  deniedBy: StatementRef[];
  unevaluated: string[];
  /** Reads that were refused and would have decided it. */
  unread: string[];
  /** Why an Allow is missing, when it is: the role's policies, its boundary, or the key policy. */
  missing: 'role' | 'boundary' | 'key' | null;
}

const UNREAD: PolicyDecision = { ...NO_DECISION, allow: 'maybe', deny: 'maybe' };

const grantAllows = (grants: KmsGrant[], roleArn: string | null, action: string, context: RequestContext): { allow: Tri; grantIds: string[] } => {
  const operation = action.replace(/^kms:/, '');
  const tris = grants
    .filter((g) => roleArn !== null && g.granteePrincipal === roleArn && g.operations.includes(operation))
    .map((g): [Tri, string] => {
      if (!g.constraints) return ['yes', g.grantId];
      // Secrets Manager's encryption context is SecretARN and SecretVersionId; only SecretARN is known before the call.
      const subset = g.constraints.encryptionContextSubset;
      if (g.constraints.encryptionContextEquals || !subset) return ['maybe', g.grantId];
      const holds = Object.entries(subset).map(([k, v]): Tri => {
        const known = context[`kms:EncryptionContext:${k}`];
        return known ? (known.includes(v) ? 'yes' : 'no') : 'maybe';
      });
      return [and(...holds), g.grantId];
    });
  return { allow: or(...tris.map(([t]) => t)), grantIds: tris.filter(([t]) => t !== 'no').map(([, id]) => id) };
};

interface RoleSide {
  decision: PolicyDecision;
  boundaryAllow: Tri;
  boundary: PolicyDecision;
  unread: string[];
}

const roleSide = (facts: PermissionsFacts, request: AccessRequest): RoleSide => {
  const { role } = facts;
  const noBoundary = { boundaryAllow: 'yes' as Tri, boundary: NO_DECISION };
  if (role.by === 'simulator') {
    const answer = role.decisions.get(requestKey(request.action, request.resource));
    if (!answer) return { decision: UNREAD, ...noBoundary, unread: [`IAM policy simulator: no answer for ${request.action}`] };
    return failed(answer) ? { decision: UNREAD, ...noBoundary, unread: [answer.error] } : { decision: answer.value, ...noBoundary, unread: [] };
  }
  if (role.by === 'plan') {
    const planned = plannedPolicy(facts.subject);
    return { decision: planned ? evaluateIdentityPolicies([planned], request) : NO_DECISION, ...noBoundary, unread: [] };
  }
  const unread: string[] = [];
  let decision = UNREAD;
  if (failed(role.policies)) unread.push(role.policies.error);
  else decision = evaluateIdentityPolicies(role.policies.value, request);
  if (failed(role.boundary)) {
    unread.push(role.boundary.error);
    return { decision, boundaryAllow: 'maybe', boundary: UNREAD, unread };
  }
  if (!role.boundary.value) return { decision, ...noBoundary, unread };
  const boundary = evaluateIdentityPolicies([role.boundary.value], request);
  return { decision, boundaryAllow: boundary.allow, boundary, unread };
};

const plannedPolicy = (subject: PreflightSubject): NamedPolicy | null =>
  subject.fn.plannedRolePolicy
    ? { name: 'the policy the plan gives the new role', source: { kind: 'planned' }, statements: subject.fn.plannedRolePolicy.Statement }
    : null;

const resourcePolicyOf = (facts: PermissionsFacts, id: RequirementId): Read<NamedPolicy | null> | null => {
  if (id === 'secret') return facts.secretPolicy;
  if (id === 'master') return facts.masterPolicy;
  if (id === 'secret-key') return facts.secretKey?.policy ?? null;
  if (id === 'master-key') return facts.masterKey?.policy ?? null;
  return null;
};

const outcomeOf = (allow: Tri, deny: Tri): Outcome =>
  deny === 'yes' ? 'deny' : allow === 'no' ? 'none' : allow === 'yes' && deny === 'no' ? 'allow' : 'unknown';

const decideAction = (facts: PermissionsFacts, requirement: PermissionRequirement, action: string): ActionResult => {
  const request: AccessRequest = { action, resource: requirement.resource, context: requirement.context };
  const caller: Caller = { kind: 'role', arn: facts.subject.fn.roleArn, accountId: facts.subject.secret.accountId };
  const side = roleSide(facts, request);
  const unread = [...side.unread];
  const identityAllow = and(side.decision.allow, side.boundaryAllow);
  const resourceRead = resourcePolicyOf(facts, requirement.id);
  let resource = { direct: NO_DECISION, account: NO_DECISION, deny: 'no' as Tri, deniedBy: [] as StatementRef[] };
  if (resourceRead && failed(resourceRead)) {
    unread.push(resourceRead.error);
    resource = { direct: UNREAD, account: UNREAD, deny: 'maybe', deniedBy: [] };
  } else if (resourceRead) resource = evaluateResourcePolicy(resourceRead.value, request, caller);

  const deny = or(side.decision.deny, side.boundary.deny, resource.deny);
  const deniedBy = [...side.decision.deniedBy, ...side.boundary.deniedBy, ...resource.deniedBy];
  const unevaluated = [
    ...new Set([...side.decision.unevaluated, ...side.boundary.unevaluated, ...resource.direct.unevaluated, ...resource.account.unevaluated]),
  ];
  let allow: Tri;
  let missing: ActionResult['missing'] = null;
  if (requirement.id === 'secret-key' || requirement.id === 'master-key') {
    // KMS: a grant, or the key policy naming the role, is enough; a key policy that names the
    // account (root) lets the role's IAM policies decide.
    const key = requirement.id === 'secret-key' ? facts.secretKey : facts.masterKey;
    const grants = key?.grants ?? null;
    let grant: Tri = 'no';
    if (grants && failed(grants)) {
      unread.push(grants.error);
      grant = 'maybe';
    } else if (grants) grant = grantAllows(grants.value, facts.subject.fn.roleArn, action, requirement.context).allow;
    const keyAllows = or(resource.direct.allow, resource.account.allow);
    allow = or(grant, and(resource.direct.allow, side.boundaryAllow), and(resource.account.allow, identityAllow));
    if (allow === 'no') missing = keyAllows === 'no' ? 'key' : side.decision.allow === 'no' ? 'role' : 'boundary';
  } else {
    // Secrets Manager in the same account: the role's policies, or the secret's policy naming the role.
    allow = or(identityAllow, and(resource.direct.allow, side.boundaryAllow));
    if (allow === 'no') missing = side.decision.allow === 'no' && resource.direct.allow === 'no' ? 'role' : 'boundary';
  }
  return { action, outcome: outcomeOf(allow, deny), deniedBy, unevaluated, unread, missing };
};

// ---- Fixes ----

const roleNameOf = (roleArn: string | null) => roleArn?.split('/').pop() ?? null;

/** IAM allows [\w+=,.@-] in a policy name, up to 128 characters. */
const policyNameFor = (prefix: string, name: string) => `${prefix}-${name.replace(/[^\w+=,.@-]/g, '-')}`.slice(0, 128);

const putRolePolicy = (roleName: string, policyName: string, statement: Record<string, unknown>) =>
  `aws iam put-role-policy --role-name ${shellQuote(roleName)} --policy-name ${shellQuote(policyName)} --policy-document ${shellQuote(
    JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
  )}`;

/** The CLI that adds the missing Allow, for the role's name (or the placeholder of a role still to be created). */
const allowFix = (subject: PreflightSubject, requirement: PermissionRequirement, roleName: string): string => {
  switch (requirement.id) {
    case 'secret':
      // The whole set rotation needs on this secret, under a name of its own: re-running it is harmless, other grants stay.
      return putRolePolicy(roleName, policyNameFor('SecretsManagerRotation', subject.secret.name), {
        Effect: 'Allow',
        Action: [...SECRET_ACTIONS],
        Resource: subject.secret.arn,
      });
    case 'random-password':
      return putRolePolicy(roleName, 'SecretsManagerGetRandomPassword', { Effect: 'Allow', Action: 'secretsmanager:GetRandomPassword', Resource: '*' });
    case 'master':
      return grantMasterCli(roleName, requirement.resource);
    case 'secret-key':
    case 'master-key':
      return `aws kms create-grant --key-id ${requirement.resource} --grantee-principal ${shellQuote(subject.fn.roleArn ?? '<the new role\u2019s ARN>')} --operations ${requirement.actions
        .map((a) => a.replace(/^kms:/, ''))
        .join(' ')}`;
  }
};

const boundaryFix = (policyArn: string, requirement: PermissionRequirement, actions: string[]) =>
  [
    `# the permissions boundary ${policyArn} must also allow ${actions.join(', ')} on ${requirement.resource}: add it to a new default version`,
    `aws iam get-policy-version --policy-arn ${policyArn} --version-id "$(aws iam get-policy --policy-arn ${policyArn} --query Policy.DefaultVersionId --output text)" --query PolicyVersion.Document --output json > boundary.json`,
    `aws iam create-policy-version --policy-arn ${policyArn} --policy-document file://boundary.json --set-as-default`,
  ].join('\n');

/** The CLI that takes an explicit Deny away: edit the statement out of the policy it is in. */
const denyFix = (ref: StatementRef, roleName: string | null): string => {
  const source = ref.policy.source;
  const remove = `# remove or narrow statement ${ref.statement} of ${ref.policy.name}`;
  switch (source.kind) {
    case 'inline': {
      const args = `--role-name ${shellQuote(source.roleName)} --policy-name ${shellQuote(source.policyName)}`;
      return [
        `aws iam get-role-policy ${args} --query PolicyDocument --output json > policy.json`,
        remove,
        `aws iam put-role-policy ${args} --policy-document file://policy.json`,
      ].join('\n');
    }
    case 'managed':
      return [
        `${remove}, or detach it from the role:`,
        `aws iam detach-role-policy --role-name ${shellQuote(roleName ?? '')} --policy-arn ${source.policyArn}`,
      ].join('\n');
    case 'boundary':
      return [
        `aws iam get-policy-version --policy-arn ${source.policyArn} --version-id "$(aws iam get-policy --policy-arn ${source.policyArn} --query Policy.DefaultVersionId --output text)" --query PolicyVersion.Document --output json > boundary.json`,
        remove,
        `aws iam create-policy-version --policy-arn ${source.policyArn} --policy-document file://boundary.json --set-as-default`,
      ].join('\n');
    case 'key':
      return [
        `aws kms get-key-policy --key-id ${source.keyArn} --policy-name default --query Policy --output text > key-policy.json`,
        remove,
        `aws kms put-key-policy --key-id ${source.keyArn} --policy-name default --policy file://key-policy.json`,
      ].join('\n');
    case 'secret':
      return [
        `aws secretsmanager get-resource-policy --secret-id ${source.secretArn} --query ResourcePolicy --output text > secret-policy.json`,
        remove,
        `aws secretsmanager put-resource-policy --secret-id ${source.secretArn} --resource-policy file://secret-policy.json`,
      ].join('\n');
    case 'planned':
    case 'function':
    case 'simulator':
      return remove;
  }
};

/** IAM's own answer to settle what the console could not: the simulator with the context the console assumed. */
const simulateCli = (subject: PreflightSubject, requirement: PermissionRequirement, actions: string[]): string => {
  const entries = contextEntries(requirement.context)
    .map((e) => `ContextKeyName=${e.key},ContextKeyValues=${e.values.join(',')},ContextKeyType=${e.type}`)
    .map(shellQuote)
    .join(' ');
  const subjectArgs =
    subject.fn.arn && subject.fn.roleArn
      ? `simulate-principal-policy --policy-source-arn ${subject.fn.roleArn}`
      : `simulate-custom-policy --policy-input-list ${shellQuote(JSON.stringify({ Version: '2012-10-17', Statement: subject.fn.plannedRolePolicy?.Statement ?? [] }))}`;
  return `aws iam ${subjectArgs} --action-names ${actions.join(' ')} --resource-arns ${shellQuote(requirement.resource)} --context-entries ${entries}`;
};

// ---- Findings ----

const joinActions = (results: ActionResult[]) => results.map((r) => r.action).join(', ');

const refText = (ref: StatementRef) => (ref.statement ? `statement ${ref.statement} of ${ref.policy.name}` : ref.policy.name);

const requirementFindings = (facts: PermissionsFacts, requirement: PermissionRequirement, who: string): PreflightFinding[] => {
  const { subject } = facts;
  const Who = capitalize(who);
  const region = subject.secret.region;
  const roleName = roleNameOf(subject.fn.roleArn) ?? '<the new role>';
  const results = requirement.actions.map((a) => decideAction(facts, requirement, a));
  const by = (o: Outcome) => results.filter((r) => r.outcome === o);
  const out: PreflightFinding[] = [];
  const allowed = by('allow');
  if (allowed.length) out.push(finding('pass', `${Who} may ${joinActions(allowed)} on ${requirement.what}.`));

  for (const r of by('deny')) {
    const ref = r.deniedBy.find((d) => d.applies === 'yes') ?? r.deniedBy[0];
    const fix = !ref
      ? simulateCli(subject, requirement, [r.action])
      : ref.policy.source.kind === 'simulator'
        ? `${simulateCli(subject, requirement, [r.action])} --query 'EvaluationResults[].MatchedStatements'`
        : denyFix(ref, roleNameOf(subject.fn.roleArn));
    out.push(
      finding(
        'fail',
        `${r.action} on ${requirement.what} is denied to ${who}${ref ? ` by ${refText(ref)}` : ''}: an explicit Deny wins over any Allow.`,
        fix && inRegion(fix, region),
      ),
    );
  }

  const none = by('none');
  if (none.length) {
    const boundary = facts.role.by === 'statements' && !failed(facts.role.boundary) ? facts.role.boundary.value : null;
    const missing = none[0]!.missing;
    const isKey = requirement.id === 'secret-key' || requirement.id === 'master-key';
    const keyArn = requirement.resource;
    const why =
      missing === 'key'
        ? `the key policy of ${keyArn} names neither the role nor the account (whose IAM policies could then allow it), and no grant gives it to the role`
        : missing === 'boundary' && boundary
          ? `the role's permissions boundary ${boundary.name} does not allow it`
          : isKey
            ? `the key policy leaves it to IAM, and no statement of the role's policies allows it (nor does a grant)`
            : `no statement of its policies allows it`;
    const planned = subject.fn.arn === null;
    const fix =
      missing === 'boundary' && boundary && boundary.source.kind === 'boundary'
        ? boundaryFix(
            boundary.source.policyArn,
            requirement,
            none.map((r) => r.action),
          )
        : `${planned ? '# once the plan has created the function\u2019s role:\n' : ''}${allowFix(subject, requirement, roleName)}`;
    out.push(finding('fail', `${Who} may not ${joinActions(none)} on ${requirement.what}: ${why}.`, inRegion(fix, region)));
  }

  const unknown = by('unknown');
  if (unknown.length) {
    const unread = [...new Set(unknown.flatMap((r) => r.unread))];
    const conditions = [...new Set(unknown.flatMap((r) => r.unevaluated))];
    const reasons = [
      ...(unread.length ? [`a read was refused (${unread.join('; ')})`] : []),
      ...(conditions.length ? [`it depends on conditions the console cannot evaluate (${conditions.join(', ')})`] : []),
    ];
    out.push(
      finding(
        'unknown',
        `Cannot tell whether ${who} may ${joinActions(unknown)} on ${requirement.what}: ${reasons.join('; ') || 'the policies read do not decide it'}.`,
        inRegion(
          simulateCli(
            subject,
            requirement,
            unknown.map((r) => r.action),
          ),
          region,
        ),
      ),
    );
  }
  return out;
};

const SOURCE_KEYS = ['aws:sourceaccount', 'aws:sourcearn'];

/** May Secrets Manager invoke the function, and only for this account (the confused deputy)? */
const invokeFindings = (facts: PermissionsFacts): PreflightFinding[] => {
  const { subject } = facts;
  const { accountId, region } = subject.secret;
  const functionArn = rotationFunctionArn(subject);
  const addPermission = `aws lambda add-permission --function-name ${subject.fn.name} --statement-id ${INVOKE_STATEMENT_ID} --action lambda:InvokeFunction --principal ${SECRETS_MANAGER_PRINCIPAL} --source-account ${accountId} --region ${region}`;
  if (!facts.functionPolicy) {
    return [finding('pass', `The plan lets Secrets Manager invoke the new function ${subject.fn.name}, for account ${accountId} only (${addPermission}).`)];
  }
  if (failed(facts.functionPolicy)) {
    return [
      finding(
        'unknown',
        `Cannot tell whether Secrets Manager may invoke ${subject.fn.name}: its resource policy could not be read (${facts.functionPolicy.error}).`,
        `aws lambda get-policy --function-name ${subject.fn.name} --region ${region}`,
      ),
    ];
  }
  const request: AccessRequest = {
    action: 'lambda:InvokeFunction',
    resource: functionArn,
    context: { 'aws:SourceAccount': [accountId], 'aws:SourceArn': [subject.secret.arn] },
  };
  const matches = facts.functionPolicy.value
    ? matchingStatements([facts.functionPolicy.value], request, { kind: 'service', service: SECRETS_MANAGER_PRINCIPAL }).filter(
        (m) => m.statement.Effect === 'Allow',
      )
    : [];
  const sure = matches.filter((m) => m.ref.applies === 'yes');
  const guarded = sure.find((m) => conditionKeys(m.statement).some((k) => SOURCE_KEYS.includes(k.toLowerCase())));
  if (guarded) {
    return [finding('pass', `Secrets Manager may invoke ${subject.fn.name} (${refText(guarded.ref)}), for account ${accountId} only.`)];
  }
  if (sure.length) {
    const m = sure[0]!;
    const sid = m.statement.Sid;
    const fix = [
      ...(sid ? [`aws lambda remove-permission --function-name ${subject.fn.name} --statement-id ${shellQuote(sid)} --region ${region}`] : []),
      addPermission,
    ].join('\n');
    return [
      finding(
        'warning',
        `Secrets Manager may invoke ${subject.fn.name} (${refText(m.ref)}) without an aws:SourceAccount condition: Secrets Manager acting for another account could invoke it too (the confused deputy).`,
        fix,
      ),
    ];
  }
  if (matches.length) {
    const conditions = [...new Set(matches.flatMap((m) => m.unevaluated))];
    return [
      finding(
        'unknown',
        `Cannot tell whether Secrets Manager may invoke ${subject.fn.name}: ${refText(matches[0]!.ref)} depends on conditions the console cannot evaluate (${conditions.join(', ')}).`,
        `aws lambda get-policy --function-name ${subject.fn.name} --region ${region}`,
      ),
    ];
  }
  return [
    finding(
      'fail',
      `Secrets Manager may not invoke ${subject.fn.name}: ${facts.functionPolicy.value ? 'no statement of its resource policy' : 'it has no resource policy that'} allows ${SECRETS_MANAGER_PRINCIPAL} lambda:InvokeFunction for this secret in account ${accountId}.`,
      addPermission,
    ),
  ];
};

// ---- Evidence ----

const readText = <T>(read: Read<T>, text: (value: T) => string) => (failed(read) ? `could not be read (${read.error})` : text(read.value));

const statementCount = (p: NamedPolicy) => `${p.statements.length} statement${p.statements.length === 1 ? '' : 's'}`;

const evidenceOf = (facts: PermissionsFacts, who: string): string[] => {
  const { subject, role } = facts;
  const lines: string[] = [];
  if (role.by === 'statements') {
    lines.push(`Policies of ${who}: ${readText(role.policies, (ps) => (ps.length ? ps.map((p) => `${p.name} (${statementCount(p)})`).join('; ') : 'none'))}.`);
    lines.push(`Permissions boundary: ${readText(role.boundary, (b) => (b ? `${b.name} (${statementCount(b)})` : 'none'))}.`);
  } else if (role.by === 'plan') {
    const planned = plannedPolicy(subject);
    lines.push(`Policy of ${who}: ${planned ? statementCount(planned) : 'none in the plan'}.`);
  } else {
    for (const [key, answer] of role.decisions)
      lines.push(
        `IAM policy simulator, ${key}: ${readText(answer, (d) => (d.deny === 'yes' ? 'explicitDeny' : d.allow === 'yes' ? 'allowed' : 'implicitDeny'))}.`,
      );
  }
  const keyLine = (label: string, key: KmsKeyFacts | null) => {
    if (!key) return `${label}: Secrets Manager's own key (aws/secretsmanager), usable by the account's principals through Secrets Manager.`;
    if (failed(key.key)) return `${label} ${key.given}: could not be read (${key.key.error}).`;
    const arn = customerManagedKeyArn(key);
    if (!arn) return `${label} ${key.given}: AWS managed; its key policy lets the account's principals use it through Secrets Manager.`;
    const policy = key.policy ? readText(key.policy, statementCount) : 'not read';
    const grants = key.grants
      ? readText(key.grants, (gs) => {
          const mine = gs.filter((g) => g.granteePrincipal === subject.fn.roleArn);
          return `${gs.length} grant${gs.length === 1 ? '' : 's'}${mine.length ? ` (to the role: ${mine.map((g) => `${g.grantId} ${g.operations.join('+')}`).join(', ')})` : ''}`;
        })
      : 'grants not read';
    return `${label} ${arn}: customer managed; key policy ${policy}; ${grants}.`;
  };
  lines.push(keyLine('Secret key', facts.secretKey));
  const master = masterSecretArn(subject);
  if (master) lines.push(keyLine('Master secret key', facts.masterKey));
  lines.push(`Resource policy of the secret: ${readText(facts.secretPolicy, (p) => (p ? statementCount(p) : 'none'))}.`);
  if (facts.masterPolicy) lines.push(`Resource policy of the master secret: ${readText(facts.masterPolicy, (p) => (p ? statementCount(p) : 'none'))}.`);
  if (facts.functionPolicy) lines.push(`Resource policy of ${subject.fn.name}: ${readText(facts.functionPolicy, (p) => (p ? statementCount(p) : 'none'))}.`);
  lines.push(`Conditions evaluated with secretsmanager:resource/AllowRotationLambdaArn = ${rotationFunctionArn(subject)} (the function rotation will call).`);
  return lines;
};

// ---- The check ----

export const permissionsCheck = (facts: PermissionsFacts): PreflightCheck => {
  const { subject } = facts;
  const planned = subject.fn.arn === null;
  const who = planned ? `the role the plan creates${subject.fn.roleArn ? ` (${subject.fn.roleArn})` : ''}` : `the role ${roleNameOf(subject.fn.roleArn)}`;
  const findings: PreflightFinding[] = [];
  if (!planned && !subject.fn.roleArn) {
    findings.push(
      finding(
        'unknown',
        `Cannot tell what ${subject.fn.name} may do: Lambda names no execution role for it.`,
        `aws lambda get-function-configuration --function-name ${subject.fn.name} --query Role --region ${subject.secret.region}`,
      ),
    );
  } else if (planned && !subject.fn.plannedRolePolicy) {
    findings.push(
      finding('unknown', `Cannot tell what ${who} may do: the plan names no role policy (a template whose statements the console does not know).`, null),
    );
  } else {
    for (const requirement of permissionRequirements(subject, facts)) {
      const found = requirementFindings(facts, requirement, who);
      // Save grants the master to the role itself (the plan's grant-master-secret-access step).
      if (requirement.id === 'master' && subject.saveAdds?.masterGrant && found.some((f) => f.verdict !== 'pass'))
        findings.push(
          finding(
            'pass',
            `Save grants ${who} secretsmanager:GetSecretValue on the master secret ${requirement.resource} (the plan's step "Let the function read the master secret").`,
          ),
        );
      else findings.push(...found);
    }
    if (subject.strategy === 'alternating-users' && !masterSecretArn(subject)) {
      findings.push(
        finding(
          'unknown',
          `Cannot tell whether ${who} may read the master secret: the secret names none (masterarn) and none was chosen.`,
          `aws secretsmanager describe-secret --secret-id ${shellQuote(subject.secret.name)} --region ${subject.secret.region}`,
        ),
      );
    }
    for (const key of [facts.secretKey, masterSecretArn(subject) ? facts.masterKey : null]) {
      if (key && failed(key.key)) {
        findings.push(
          finding(
            'unknown',
            `Cannot tell whether ${who} may use KMS key ${key.given}: it could not be read (${key.key.error}).`,
            `aws kms describe-key --key-id ${shellQuote(key.given)} --region ${subject.secret.region}`,
          ),
        );
      }
    }
  }
  const invoke = invokeFindings(facts);
  // Save lets Secrets Manager invoke the function itself (the plan's add-invoke-permission step, with SourceAccount).
  if (subject.saveAdds?.invokePermission && invoke.some((f) => f.verdict !== 'pass'))
    findings.push(
      finding(
        'pass',
        `Save lets Secrets Manager invoke ${subject.fn.name}, for account ${subject.secret.accountId} only (the plan's step "Allow Secrets Manager to invoke the function").`,
      ),
    );
  else findings.push(...invoke);
  const worst = findings.find((f) => f.verdict === 'fail') ?? findings.find((f) => f.verdict === 'unknown') ?? findings.find((f) => f.verdict === 'warning');
  const summary = worst ? worst.message : `${capitalize(who)} may do what rotation needs, and Secrets Manager may invoke ${subject.fn.name}.`;
  return preflightCheck('permissions', { summary, findings, evidence: evidenceOf(facts, who), method: facts.method });
};

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
