import { shellQuote } from './shell.ts';

/**
 * The inline role policy that lets rotation functions read their master secrets (multi-user
 * rotation): one policy per role, named as before, holding ONE STATEMENT PER MASTER SECRET.
 * A function role shared by several secrets keeps every grant: adding one master never
 * replaces another's statement, and removing one leaves the others. Statements are matched by
 * their Resource (also those an older console wrote without a Sid); the Sid, derived from the
 * master secret's ARN, only names them stably.
 */
export const MASTER_POLICY_NAME = 'SecretsManagerMasterSecretAccess';

const READ_ACTION = 'secretsmanager:GetSecretValue';

export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
  [key: string]: unknown;
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

/** FNV-1a, 64 bits: a stable, dependency-free fingerprint of an ARN (not a security measure). */
const fingerprint = (text: string): string => {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  return hash.toString(16).padStart(16, '0');
};

/** IAM allows only [A-Za-z0-9] in a Sid; the same master secret always gets the same one. */
export const masterGrantSid = (masterSecretArn: string): string => `MasterSecret${fingerprint(masterSecretArn)}`;

export const masterGrantStatement = (masterSecretArn: string): PolicyStatement => ({
  Sid: masterGrantSid(masterSecretArn),
  Effect: 'Allow',
  Action: READ_ACTION,
  Resource: masterSecretArn,
});

const list = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v ? [v] : []);

const readsMaster = (s: PolicyStatement, masterSecretArn: string) =>
  s.Effect === 'Allow' && list(s.Resource).includes(masterSecretArn) && list(s.Action).some((a) => a === READ_ACTION || a === 'secretsmanager:*');

/** The stored document (IAM returns it URL-encoded), or an empty one when the role has none. */
export const parsePolicyDocument = (text: string | null | undefined): PolicyDocument => {
  if (!text) return { Version: '2012-10-17', Statement: [] };
  const decoded = text.trimStart().startsWith('{') ? text : decodeURIComponent(text);
  const doc = JSON.parse(decoded) as { Version?: string; Statement?: PolicyStatement | PolicyStatement[] };
  return { Version: doc.Version ?? '2012-10-17', Statement: Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [] };
};

export const grantsMaster = (doc: PolicyDocument, masterSecretArn: string): boolean => doc.Statement.some((s) => readsMaster(s, masterSecretArn));

/** The document with a statement for this master secret added, the others kept as they are. */
export const withMasterGrant = (doc: PolicyDocument, masterSecretArn: string): { document: PolicyDocument; changed: boolean } =>
  grantsMaster(doc, masterSecretArn)
    ? { document: doc, changed: false }
    : { document: { ...doc, Statement: [...doc.Statement, masterGrantStatement(masterSecretArn)] }, changed: true };

/**
 * The document without this master secret's grant, the others kept. `document` is null when
 * nothing is left (IAM refuses a policy without statements: the policy is deleted instead).
 */
export const withoutMasterGrant = (doc: PolicyDocument, masterSecretArn: string): { document: PolicyDocument | null; changed: boolean } => {
  if (!grantsMaster(doc, masterSecretArn)) return { document: doc.Statement.length > 0 ? doc : null, changed: false };
  const kept: PolicyStatement[] = [];
  for (const s of doc.Statement) {
    if (!readsMaster(s, masterSecretArn)) kept.push(s);
    else if (list(s.Resource).length > 1) kept.push({ ...s, Resource: list(s.Resource).filter((r) => r !== masterSecretArn) });
  }
  return { document: kept.length > 0 ? { ...doc, Statement: kept } : null, changed: true };
};

/**
 * The AWS CLI for what the grant step does: read the role's policy, put this master's
 * statement in it (in place of any for the same master, keeping every other), write it back.
 */
export const grantMasterCli = (roleName: string, masterSecretArn: string): string => {
  const role = shellQuote(roleName);
  const statement = shellQuote(JSON.stringify(masterGrantStatement(masterSecretArn)));
  return [
    `aws iam get-role-policy --role-name ${role} --policy-name ${MASTER_POLICY_NAME} --query PolicyDocument --output json > master-policy.json 2>/dev/null || echo '{"Version":"2012-10-17","Statement":[]}' > master-policy.json`,
    `jq --argjson s ${statement} '.Statement |= ([(if type == "array" then .[] else . end) | select(.Sid != $s.Sid and .Resource != $s.Resource)] + [$s])' master-policy.json > master-policy.new.json`,
    `aws iam put-role-policy --role-name ${role} --policy-name ${MASTER_POLICY_NAME} --policy-document file://master-policy.new.json`,
  ].join('\n');
};

/** The AWS CLI for removing one master's statement; the policy is deleted when it was the last. */
export const revokeMasterCli = (roleName: string, masterSecretArn: string, last: boolean): string => {
  const role = shellQuote(roleName);
  if (last) return `aws iam delete-role-policy --role-name ${role} --policy-name ${MASTER_POLICY_NAME}`;
  return [
    `aws iam get-role-policy --role-name ${role} --policy-name ${MASTER_POLICY_NAME} --query PolicyDocument --output json > master-policy.json`,
    `jq --arg arn ${shellQuote(masterSecretArn)} '.Statement |= [(if type == "array" then .[] else . end) | select(.Resource != $arn)]' master-policy.json > master-policy.new.json`,
    `aws iam put-role-policy --role-name ${role} --policy-name ${MASTER_POLICY_NAME} --policy-document file://master-policy.new.json`,
  ].join('\n');
};
