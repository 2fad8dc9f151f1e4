import { z } from 'zod';

/** The actions the one policy decides on. Names are `resource:verb`. */
export const Action = z.enum([
  'health:read',
  'secrets:list',
  'secrets:read',
  /** Read a secret's value on the server to check its format; answers verdicts only. */
  'secrets:check',
  /** Give an untagged rotation function to a team (tag it). */
  'functions:adopt',
  /** The Functions page: the rotation functions, their runtimes, owners, secrets and outcomes. */
  'functions:list',
  /** Redeploy the console's own rotation function with the current code (through its stack). */
  'functions:update',
  'rotation:plan',
  'workflows:start',
  'workflows:read',
  'dashboard:read',
  'secrets:rotate',
  'secrets:turn-off',
  'secrets:roll-back',
  'secrets:clear-stuck',
  'audit:read',
  /** Rotation events: the consumer's status and the messages it set aside (issue 16). */
  'events:read',
  /** Create the EventBridge rule and SQS queue in the console's own account (a workflow). */
  'events:setup',
  /** A team's alert channels and delivery log (the portal's Alerts section). */
  'alerts:read',
  /** Add or remove a team's alert channel, send a test alert. */
  'alerts:manage',
]);
export type Action = z.infer<typeof Action>;

export const Role = z.enum(['viewer', 'operator', 'admin']);
export type Role = z.infer<typeof Role>;
