import { loadAccountsConfig } from './accounts-config.ts';
import type { TargetsSource } from './target-registry.ts';

/** The settings that say which account-regions the console covers (config.ts). */
export interface TargetsSettings {
  AWS_REGION: string;
  ACCOUNTS_CONFIG?: string | undefined;
  ORGANIZATION_ROLE_NAME?: string | undefined;
  FLEET_REGIONS?: string[] | undefined;
}

/**
 * The accounts file when ACCOUNTS_CONFIG is set (read now: a bad file stops the process), else the
 * organization's accounts when ORGANIZATION_ROLE_NAME is set, else the console's own account; the
 * last two in FLEET_REGIONS, by default AWS_REGION alone, so a single-account setup needs nothing.
 */
export const targetsSourceOf = (settings: TargetsSettings): TargetsSource => {
  const regions = settings.FLEET_REGIONS ?? [settings.AWS_REGION];
  if (settings.ACCOUNTS_CONFIG) return { kind: 'file', config: loadAccountsConfig(settings.ACCOUNTS_CONFIG) };
  if (settings.ORGANIZATION_ROLE_NAME) return { kind: 'organizations', roleName: settings.ORGANIZATION_ROLE_NAME, regions };
  return { kind: 'self', regions };
};
