import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { actionMatches } from '@rotation-console/rotation';

/**
 * The member-account role templates (deploy/member-roles) as the tests read them. cfn-lint does
 * both jobs: it lints, and its YAML decoder (which knows CloudFormation's short tags such as !Sub)
 * turns a template into JSON. It runs under the Python that runs moto (PYTHON, as
 * @rotation-console/harness/moto.ts), whose server extra brings cfn-lint: `./run` exports PYTHON
 * when it installs moto into .tools/python, whose bin folder is not on PATH.
 */

export const MEMBER_ROLE_TEMPLATES = {
  reader: fileURLToPath(new URL('../../../../deploy/member-roles/reader.yaml', import.meta.url)),
  operator: fileURLToPath(new URL('../../../../deploy/member-roles/operator.yaml', import.meta.url)),
} as const;
export type Variant = keyof typeof MEMBER_ROLE_TEMPLATES;

const PYTHON = process.env.PYTHON ?? 'python3';

const python = (script: string, args: string[]): SpawnSyncReturns<string> => {
  const result = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8' });
  if (result.error) throw new Error(`${PYTHON} could not run: ${result.error.message}`);
  return result;
};

/** cfn-lint's findings on the templates (its command line, through its module): empty when clean. */
export const cfnLint = (...files: string[]): { status: number | null; output: string } => {
  const result = python('import sys; from cfnlint.runner import main; sys.exit(main())', files);
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
};

const decoded = new Map<string, CfnTemplate>();

/** A CloudFormation template (YAML with short tags) as JSON; each file is read once. */
export const decodeTemplate = (file: string): CfnTemplate => {
  const known = decoded.get(file);
  if (known) return structuredClone(known);
  const result = python(
    [
      'import json, sys',
      'from cfnlint.decode import decode',
      'template, problems = decode(sys.argv[1])',
      "if problems: sys.exit('\\n'.join(str(p) for p in problems))",
      'json.dump(template, sys.stdout)',
    ].join('\n'),
    [file],
  );
  if (result.status !== 0) throw new Error(`cannot read ${file}: ${result.stderr.trim()}`);
  decoded.set(file, JSON.parse(result.stdout) as CfnTemplate);
  return structuredClone(decoded.get(file)!);
};

export interface CfnTemplate {
  Parameters?: Record<string, { Default?: string }>;
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, unknown>;
}

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

export interface InlinePolicy {
  PolicyName: string;
  PolicyDocument: { Version: string; Statement: Statement[] };
}

export const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The template's one IAM role's inline policies. */
export const inlinePolicies = (template: CfnTemplate): InlinePolicy[] => {
  const roles = Object.values(template.Resources).filter((r) => r.Type === 'AWS::IAM::Role');
  if (roles.length !== 1) throw new Error(`expected one AWS::IAM::Role, found ${roles.length}`);
  return (roles[0]!.Properties?.Policies ?? []) as InlinePolicy[];
};

export const statementsOf = (template: CfnTemplate): Statement[] => inlinePolicies(template).flatMap((p) => p.PolicyDocument.Statement);

/** The Allow statements whose Action names `action` (directly or by a wildcard). */
export const allowing = (statements: Statement[], action: string): Statement[] =>
  statements.filter((s) => s.Effect === 'Allow' && list(s.Action).some((pattern) => actionMatches(pattern, action)));

/** Every action an Allow statement names, as written. */
export const allowedActions = (statements: Statement[]): string[] =>
  [...new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action)))].sort();
