/**
 * The API's one redactor for text it did not write and shows to people: a rotation
 * function's log lines. A function should never log a secret, but a log group is not the
 * console's to trust, so anything shaped like a credential is masked on the server before
 * a line leaves the API. Keeps JSON lines valid JSON (masks only inside values) and keeps
 * what people need to read the line: ARNs, version and request ids, hosts, error codes.
 */
export const REDACTED = '[redacted]';

const KEY = '[a-z_-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|authorization|SecretString|SecretBinary)';

const RULES: { pattern: RegExp; replace: string }[] = [
  // A URL or connection string with credentials: scheme://user:password@host -> scheme://user:[redacted]@host
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"'\\]+):[^\s@"'\\]+@/gi, replace: `$1:${REDACTED}@` },
  // "password": "...", "SecretString": "...", "token": "..." as JSON, and the same escaped inside a JSON string.
  { pattern: new RegExp(`("${KEY}"\\s*:\\s*)"(?:\\\\.|[^"\\\\])*"`, 'gi'), replace: `$1"${REDACTED}"` },
  { pattern: new RegExp(`(\\\\"${KEY}\\\\"\\s*:\\s*)\\\\"(?:(?!\\\\").)*\\\\"`, 'gi'), replace: `$1\\"${REDACTED}\\"` },
  // key=value and key: value in text (connection strings "password=...;", headers "Authorization: Bearer ...").
  {
    pattern:
      /(?<![:/.\w-])((?:(?:[a-z]+[_-])?(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)|authorization)\s*[=:]\s*)(?:bearer\s+|basic\s+)?([^\s;,&"'}\]]+)/gi,
    replace: `$1${REDACTED}`,
  },
  { pattern: /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, replace: `$1 ${REDACTED}` },
  // AWS access key ids and PEM private keys.
  { pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, replace: REDACTED },
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, replace: REDACTED },
  // JWTs.
  { pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, replace: REDACTED },
];

/**
 * A bare run that looks generated (a random password or a key): 20+ characters without
 * spaces, mixing upper and lower case and digits. ARNs, paths, UUIDs, hex ids and words do not
 * mix all three, or carry ":" and "/" which are left out of the run.
 */
const RANDOM_RUN = /(?<![A-Za-z0-9])[A-Za-z0-9!#$%&()*+,.;<=>?^_`|~-]{20,}(?![A-Za-z0-9])/g;
const classOf = (c: string) => (/[a-z]/.test(c) ? 0 : /[A-Z]/.test(c) ? 1 : /[0-9]/.test(c) ? 2 : 3);
/** Generated strings change character class at most characters; names (CamelCase, RDSPostgreSQL1) seldom do. */
const looksGenerated = (run: string) => {
  if (!/[a-z]/.test(run) || !/[A-Z]/.test(run) || !/[0-9]/.test(run)) return false;
  let changes = 0;
  for (let i = 1; i < run.length; i++) if (classOf(run[i]!) !== classOf(run[i - 1]!)) changes++;
  return changes / (run.length - 1) >= 0.4;
};

export const redactText = (text: string): string => {
  let out = text;
  for (const { pattern, replace } of RULES) out = out.replace(pattern, replace);
  return out.replace(RANDOM_RUN, (run) => (looksGenerated(run) && !run.includes(REDACTED) ? REDACTED : run));
};
