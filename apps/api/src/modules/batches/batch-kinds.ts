/** The workflow of an enable batch's shared steps (one function for every secret), which runs before the secrets' own. */
export const BATCH_SHARED_STEPS = 'batch-shared-steps';
