import type { Redactor, RotationError } from '../errors.ts';
import type { DbSecret, EngineFamily } from '../secret.ts';

/** An open, authenticated database connection. */
export interface DbSession {
  /** The server's version string, e.g. "15.4" or "10.11.6-MariaDB". */
  readonly serverVersion: string;
  /** Runs a trivial query (SELECT NOW()) to prove the session works. */
  ping(): Promise<void>;
  /** Single user: the logged-in user changes its own password. */
  changeOwnPassword(username: string, newPassword: string): Promise<void>;
  /**
   * Alternating users (run as the master user): creates `username` with the privileges of
   * `templateUsername` when it does not exist, and sets its password.
   */
  upsertAlternateUser(args: { username: string; password: string; templateUsername: string }): Promise<'created' | 'updated'>;
  /**
   * Preflight, read-only: whether the logged-in user may change its own password as setSecret
   * does in single-user rotation (a standby or read-only server, or RDS's restricted password
   * commands, refuse it).
   */
  checkOwnPasswordChange(username: string): Promise<PrivilegeAnswer>;
  /**
   * Preflight, read-only, run as the master user: whether it may create whichever of `usernames`
   * (the current user first, then its alternate) does not exist, give it the current user's
   * privileges and change either one's password, as setSecret does in alternating-users rotation.
   */
  checkUserManagement(usernames: readonly [current: string, alternate: string]): Promise<PrivilegeAnswer>;
  close(): Promise<void>;
}

/** What a preflight read of the server's privileges found; `fix` is SQL for an administrator to run, never with a value. */
export interface PrivilegeAnswer {
  verdict: 'pass' | 'warning' | 'fail' | 'unknown';
  message: string;
  fix?: string;
}

export type LoginResult = { ok: true; session: DbSession; tls: boolean } | { ok: false; failure: RotationError };

export interface DbDriver {
  readonly family: EngineFamily;
  /**
   * Logs in with the credentials of a secret, honouring its `ssl` setting (TLS first, then
   * plain when allowed). Never throws for connection problems: the failure is classified
   * (network / authentication / ...) and returned, so callers can try other credentials.
   */
  login(secret: DbSecret, options: { connectTimeoutSeconds: number; redactor: Redactor }): Promise<LoginResult>;
}
