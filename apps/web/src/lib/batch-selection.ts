import type { BatchActionName, BatchFilter, Me } from '@rotation-console/contracts';
import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { BATCHES_PATH } from './paths.ts';

/**
 * What a person asks of many secrets at once, from the dashboard's or the portal's table: the
 * three changes the AWS console offers on a secret, each for every selected secret.
 */
export const BATCH_ACTIONS = ['enable', 'rotate', 'disable'] as const satisfies readonly BatchActionName[];
export type BatchAction = BatchActionName;

/** The AWS console's words for each action's button. */
export const batchActionButtonLabels: Record<BatchAction, string> = {
  enable: 'Enable rotation',
  rotate: 'Rotate secret immediately',
  disable: 'Turn off rotation',
};

export const isBatchAction = (value: unknown): value is BatchAction => BATCH_ACTIONS.includes(value as BatchAction);

/** A secret picked in a table: what the plan names it by (its ARN), and how a person reads it. */
export interface PickedSecret {
  name: string;
  arn: string;
  team: string | null;
}

export type { BatchFilter };

/**
 * The secrets a batch is about: the rows a person picked, or every secret matching a filter (the
 * API resolves the filter itself, so the plan holds what the index holds when it is asked).
 */
export type BatchSelection = { kind: 'secrets'; secrets: PickedSecret[] } | { kind: 'filter'; filter: BatchFilter; total: number };

export const NEW_BATCH_PATH = `${BATCHES_PATH}/new`;

/** The batch flow for `action` (its selection travels in the history entry's state, which survives a reload). */
export const newBatchPath = (action: BatchAction): string => `${NEW_BATCH_PATH}?action=${action}`;

const isPicked = (value: unknown): value is PickedSecret => {
  const v = value as Partial<PickedSecret> | null;
  return typeof v === 'object' && v !== null && typeof v.name === 'string' && typeof v.arn === 'string' && (typeof v.team === 'string' || v.team === null);
};

/** The selection a table handed over in the history state, or null when there is none (the page was opened by its URL). */
export const selectionOfState = (state: unknown): BatchSelection | null => {
  const selection = (state as { selection?: unknown } | null)?.selection as Partial<BatchSelection> | undefined;
  if (!selection || typeof selection !== 'object') return null;
  if (selection.kind === 'secrets' && Array.isArray(selection.secrets) && selection.secrets.length > 0 && selection.secrets.every(isPicked)) {
    return { kind: 'secrets', secrets: selection.secrets };
  }
  if (selection.kind === 'filter' && typeof selection.filter === 'object' && selection.filter !== null && typeof selection.total === 'number') {
    // Checked again by the API (BatchFilter); here only what a table could have put there is kept.
    const filter = Object.fromEntries(Object.entries(selection.filter).filter(([, v]) => typeof v === 'string' && v !== '')) as BatchFilter;
    return { kind: 'filter', filter, total: selection.total };
  }
  return null;
};

/** Opens the batch flow for `action` on `selection`. */
export const useOpenBatch = () => {
  const navigate = useNavigate();
  return useCallback((action: BatchAction, selection: BatchSelection) => void navigate(newBatchPath(action), { state: { selection } }), [navigate]);
};

/**
 * Whether the person may change any secret at all, so a table offers selection: admins, and
 * operators of at least one team. Viewers (and operators of no team) see no checkboxes; the API
 * refuses every secret outside the person's teams whatever the browser sends.
 */
export const mayChangeSecrets = (me: Me | undefined): boolean =>
  me !== undefined && (me.roles.includes('admin') || (me.roles.includes('operator') && me.teams.length > 0));

/** "1 secret", "20 secrets". */
export const secretsCount = (n: number): string => `${new Intl.NumberFormat('en-US').format(n)} ${n === 1 ? 'secret' : 'secrets'}`;
