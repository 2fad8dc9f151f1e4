import { createHmac, randomBytes } from 'node:crypto';
import type { Principal } from '../auth.ts';

/** A signed-in person, as the server keeps it. No token is kept: the principal is all the console needs. */
export interface Session {
  principal: Principal;
  createdAt: number;
  expiresAt: number;
}

/** A login between /auth/login and /auth/callback: what the callback must find again. */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  expiresAt: number;
}

/**
 * Server-side records keyed by a random id that only the browser's cookie holds. The store
 * keeps HMAC(SESSION_SECRET, id), never the id itself, so reading the store (a later DB table)
 * does not give anyone a usable cookie.
 *
 * The API keeps them in its database (db-record-store.ts), shared by every process; the
 * in-memory store stays for tests of the store's contract.
 */
export interface RecordStore<T extends { expiresAt: number }> {
  /** Stores the record under a new random id and returns the id (for the cookie). */
  create(record: T): Promise<string>;
  /** The record, or undefined when unknown or expired. */
  get(id: string): Promise<T | undefined>;
  /** Reads and deletes in one step: a second take of the same id finds nothing. */
  take(id: string): Promise<T | undefined>;
  delete(id: string): Promise<void>;
}

export interface MemoryStoreOptions {
  secret: string;
  /** Oldest records are dropped past this many, so anonymous /auth/login calls cannot fill memory. */
  maxRecords: number;
  now?: () => number;
}

export const newRecordId = () => randomBytes(32).toString('base64url');

/** What a store keeps instead of the cookie's id. */
export const hashRecordId = (secret: string, id: string) => createHmac('sha256', secret).update(id, 'utf8').digest('base64url');

export const createMemoryStore = <T extends { expiresAt: number }>({ secret, maxRecords, now = Date.now }: MemoryStoreOptions): RecordStore<T> => {
  const records = new Map<string, T>();
  const key = (id: string) => hashRecordId(secret, id);
  const sweep = () => {
    const t = now();
    for (const [k, record] of records) if (record.expiresAt <= t) records.delete(k);
    // A Map iterates in insertion order: the first keys are the oldest.
    for (const k of records.keys()) {
      if (records.size < maxRecords) break;
      records.delete(k);
    }
  };
  const live = (k: string) => {
    const record = records.get(k);
    if (!record) return undefined;
    if (record.expiresAt <= now()) {
      records.delete(k);
      return undefined;
    }
    return record;
  };
  return {
    async create(record) {
      if (records.size >= maxRecords) sweep();
      const id = newRecordId();
      records.set(key(id), record);
      return id;
    },
    async get(id) {
      return live(key(id));
    },
    async take(id) {
      const k = key(id);
      const record = live(k);
      records.delete(k);
      return record;
    },
    async delete(id) {
      records.delete(key(id));
    },
  };
};
