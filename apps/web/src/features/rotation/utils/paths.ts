/** Browser paths the wizard links to; an id (a secret name or ARN) is one percent-encoded URL segment. */
export const secretPagePath = (secretId: string): string => `/secrets/${encodeURIComponent(secretId)}`;

export const workflowPath = (workflowId: string): string => `/workflows/${encodeURIComponent(workflowId)}`;

/**
 * A workflow's subject (the secret's ARN) as a name to show: `arn:aws:secretsmanager:…:secret:prod/db-AbCdEf`
 * → "prod/db" (Secrets Manager appends a dash and six characters). Anything else is shown as it is.
 */
export const secretNameFromSubject = (subject: string): string => {
  const match = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+)$/.exec(subject);
  if (!match?.[1]) return subject;
  return match[1].replace(/-[A-Za-z0-9]{6}$/, '') || match[1];
};
