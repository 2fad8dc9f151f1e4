/**
 * schemathesis.toml for a fuzzing run. Generated ids alone never name a secret that exists,
 * so every secret route would only ever answer 404: the read-only operations draw their
 * secret (and VPC) ids half of the time from the demo account, to reach the code behind
 * the 404. The two operations that start work (POST /workflows, POST .../operations) keep
 * generated ids only, so a run starts no rotation in moto: there they test validation and
 * the not-found path.
 */
export interface FuzzConfigInput {
  headers: Record<string, string>;
  secretIds: string[];
  vpcIds: string[];
}

// JSON strings are valid TOML basic strings for what goes here (printable text, \" and \\ escapes).
const str = (value: string) => JSON.stringify(value);
const list = (values: string[]) => `[${values.map(str).join(', ')}]`;
const inlineTable = (entries: Record<string, string>) =>
  `{ ${Object.entries(entries)
    .map(([k, v]) => `${str(k)} = ${v}`)
    .join(', ')} }`;
const fromDictionary = (name: string) => `{ dictionary = ${str(name)}, probability = 0.5 }`;

/** Read-only secret routes: detail, format check, network, timeline, operation preview. */
const READ_ONLY_SECRET_ROUTES = ['', '/check', '/network', '/timeline', '/operation-previews'].map((tail) => `/api/v1/secrets/{secretId}${tail}`);

const WORK_STARTING_ROUTES = ['/api/v1/workflows', '/api/v1/secrets/{secretId}/operations'];

export const fuzzConfig = ({ headers, secretIds, vpcIds }: FuzzConfigInput) =>
  [
    `headers = ${inlineTable(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, str(v)])))}`,
    '',
    '[dictionaries.demo-secrets]',
    `values = ${list(secretIds)}`,
    '',
    '[dictionaries.demo-vpcs]',
    `values = ${list(vpcIds)}`,
    '',
    '[[operations]]',
    `include-path = ${list(READ_ONLY_SECRET_ROUTES)}`,
    `parameters = ${inlineTable({ 'path.secretId': fromDictionary('demo-secrets'), 'query.masterSecretId': fromDictionary('demo-secrets') })}`,
    '',
    '[[operations]]',
    'include-path = "/api/v1/rotation-plans"',
    `parameters = ${inlineTable({ 'body.secretId': fromDictionary('demo-secrets') })}`,
    '',
    // schemathesis also reuses values it saw in earlier responses (secret names from the list):
    // not for the two operations that start work.
    '[[operations]]',
    `include-path = ${list(WORK_STARTING_ROUTES)}`,
    'phases = { fuzzing = { extra-data-sources = { responses = false } } }',
    '',
    '[[operations]]',
    'include-path = "/api/v1/vpcs/{vpcId}"',
    `parameters = ${inlineTable({ 'path.vpcId': fromDictionary('demo-vpcs') })}`,
    '',
  ].join('\n');
