import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Every AWS call the API's source sends, read from the code itself, each as the IAM action that
 * authorizes it: `new XxxCommand(` and `paginateXxx(` with the client package the name comes from
 * (an `@aws-sdk/client-<service>` import, or a `sdk.<service>()` of platform/aws-sdk.ts, which loads
 * the heavy clients lazily), and the requests the console signs itself (SIGNED_BY_HAND). A name
 * whose package cannot be told fails loudly rather than being skipped.
 */

export const API_SRC = fileURLToPath(new URL('../../src/', import.meta.url));

export interface AwsCall {
  /** Relative to apps/api/src. */
  file: string;
  /** The SDK operation, e.g. ListSecrets. */
  operation: string;
  /** The IAM action that authorizes it, e.g. secretsmanager:ListSecrets. */
  action: string;
}

/** IAM service prefixes that are not the client package's name without dashes. */
const SERVICE_PREFIX: Record<string, string> = {
  'cloudwatch-logs': 'logs',
  eventbridge: 'events',
};

/**
 * SDK operations that IAM authorizes under another action name (AWS's Service Authorization
 * Reference); every other operation's action is `<prefix>:<operation>`.
 */
const ACTION_OF_OPERATION: Record<string, string> = {
  // S3 authorizes HeadBucket as ListBucket on the bucket.
  's3:HeadBucket': 's3:ListBucket',
  // The public access block calls are the bucket-level ones.
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3:PutPublicAccessBlock': 's3:PutBucketPublicAccessBlock',
  // Lambda's Invoke is the InvokeFunction action.
  'lambda:Invoke': 'lambda:InvokeFunction',
};

/**
 * Clients the console signs itself, without an SDK client (see the file's comment): each method
 * of the file is one call. The test fails when the file gains a method this table does not map,
 * or signs for another service.
 */
export const SIGNED_BY_HAND: Record<string, { service: string; methods: Record<string, string> }> = {
  'platform/aws-serverlessrepo.ts': {
    service: 'serverlessrepo',
    methods: { getApplication: 'GetApplication', createCloudFormationChangeSet: 'CreateCloudFormationChangeSet' },
  },
};

export const iamAction = (clientPackage: string, operation: string): string => {
  const key = `${SERVICE_PREFIX[clientPackage] ?? clientPackage.replaceAll('-', '')}:${operation}`;
  return ACTION_OF_OPERATION[key] ?? key;
};

const names = (list: string) =>
  list
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n && !n.startsWith('type '))
    .map((n) => n.split(/\s+as\s+/)[0]!.trim());

/** platform/aws-sdk.ts: `ec2: () => require('@aws-sdk/client-ec2')` -> { ec2: 'ec2' }. */
const lazyClients = (): Record<string, string> => {
  const text = readFileSync(path.join(API_SRC, 'platform/aws-sdk.ts'), 'utf8');
  return Object.fromEntries([...text.matchAll(/(\w+):\s*\(\)\s*=>\s*require\('@aws-sdk\/client-([\w-]+)'\)/g)].map((m) => [m[1]!, m[2]!]));
};

/** Which client package each SDK name in a file comes from. */
const packagesOfNames = (text: string, lazy: Record<string, string>): Map<string, string> => {
  const found = new Map<string, string>();
  for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([\w-]+)'/g)) {
    if (m[1]) continue; // types only: nothing is sent
    for (const name of names(m[2]!)) found.set(name, m[3]!);
  }
  for (const m of text.matchAll(/const\s*\{([^}]*)\}\s*=\s*sdk\.(\w+)\(\)/g)) {
    const pkg = lazy[m[2]!];
    if (!pkg) throw new Error(`sdk.${m[2]}() is not in platform/aws-sdk.ts`);
    for (const name of names(m[1]!)) found.set(name, pkg);
  }
  return found;
};

const sourceFiles = (): string[] =>
  (readdirSync(API_SRC, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.split(path.sep).join('/'))
    .sort();

/** The calls one file sends. */
const callsIn = (file: string, lazy: Record<string, string>): AwsCall[] => {
  const text = readFileSync(path.join(API_SRC, file), 'utf8');
  const packages = packagesOfNames(text, lazy);
  const calls: AwsCall[] = [];
  const add = (name: string, operation: string) => {
    const pkg = packages.get(name);
    if (!pkg) throw new Error(`${file}: cannot tell which @aws-sdk client ${name} comes from`);
    calls.push({ file, operation, action: iamAction(pkg, operation) });
  };
  for (const m of text.matchAll(/\bnew\s+(\w+)Command\s*\(/g)) add(`${m[1]}Command`, m[1]!);
  for (const m of text.matchAll(/\bpaginate(\w+)\s*\(/g)) add(`paginate${m[1]}`, m[1]!);

  if (/\bnew\s+SignatureV4\s*\(/.test(text)) {
    const signed = SIGNED_BY_HAND[file];
    if (!signed) throw new Error(`${file} signs AWS requests itself: map its calls in SIGNED_BY_HAND`);
    const service = /service:\s*'([\w-]+)'/.exec(text)?.[1];
    if (service !== signed.service) throw new Error(`${file} signs for ${service}, SIGNED_BY_HAND says ${signed.service}`);
    const methods = [...text.matchAll(/\basync\s+(\w+)\s*\(/g)].map((m) => m[1]!);
    const unmapped = methods.filter((m) => !signed.methods[m]);
    if (unmapped.length) throw new Error(`${file}: map ${unmapped.join(', ')} to IAM actions in SIGNED_BY_HAND`);
    for (const method of methods) calls.push({ file, operation: signed.methods[method]!, action: `${signed.service}:${signed.methods[method]}` });
  }
  return calls;
};

/** Every AWS call in apps/api/src, or in the files named (relative to apps/api/src). */
export const awsCalls = (files: string[] = sourceFiles()): AwsCall[] => {
  const lazy = lazyClients();
  return files.flatMap((file) => callsIn(file, lazy));
};

export const actionsOf = (calls: AwsCall[]): string[] => [...new Set(calls.map((c) => c.action))].sort();
