/**
 * Browser paths of a secret's pages. The id is one URL segment, so it is percent-encoded
 * (names may contain `/`, `+`, `=`, `@`). A name made only of dots would be read as `.`/`..` by the
 * URL parser whether encoded or not, so such a secret is addressed by its ARN instead.
 */
const idFor = (secret: { name: string; arn?: string }): string =>
  /^\.+$/.test(secret.name) && secret.arn ? secret.arn : secret.name;

export const secretPath = (secret: { name: string; arn?: string }): string =>
  `/secrets/${encodeURIComponent(idFor(secret))}`;

export const secretRotationPath = (secret: { name: string; arn?: string }): string =>
  `${secretPath(secret)}/rotation`;

/** The tabs of the Secret page, as the AWS console groups a secret's page; the first is where it opens. */
export const SECRET_TABS = ['rotation', 'versions', 'timeline', 'tags'] as const;
export type SecretTab = (typeof SECRET_TABS)[number];

/** The tab named by the page's `?tab=`; the rotation tab for none or one it does not know. */
export const secretTabOf = (param: string | null): SecretTab => SECRET_TABS.find((tab) => tab === param) ?? 'rotation';

/** The Secret page opened at one of its tabs (`?tab=`; none for the rotation tab). */
export const secretTabPath = (secret: { name: string; arn?: string }, tab: SecretTab): string =>
  tab === 'rotation' ? secretPath(secret) : `${secretPath(secret)}?tab=${tab}`;

export const workflowPath = (workflowId: string): string => `/workflows/${encodeURIComponent(workflowId)}`;

export const SECRETS_PATH = '/secrets';
