/** Browser paths the wizard links to; an id (a secret name or ARN) is one percent-encoded URL segment. */
export const secretPagePath = (secretId: string): string => `/secrets/${encodeURIComponent(secretId)}`;

export const workflowPath = (workflowId: string): string => `/workflows/${encodeURIComponent(workflowId)}`;
