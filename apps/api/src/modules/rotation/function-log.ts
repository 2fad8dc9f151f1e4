/**
 * A rotation function's log can hold parts of the secret's value: the bundled function logs the
 * user name it set, AWS's templates a host or a database in their connection errors. The lines,
 * and the failure text quoted from them ("The rotation failed at setSecret: ..."), go only to
 * callers who may read the value (`secrets:check`); anyone else gets the step, the cause and the
 * fix without them.
 */
export const LOG_WITHHELD = "its function's log is shown only to those who may change this secret";

/** The watch step's failure text (steps/rotation.aws.ts), quoting the log after the colon. */
const QUOTED_LOG = /The rotation failed( at \w+)?: [\s\S]*$/;

/** `text` with the quoted log replaced by a note that it was withheld; text without one is unchanged. */
export const withholdFunctionLog = (text: string | null): string | null =>
  text === null ? null : text.replace(QUOTED_LOG, (_match, at: string | undefined) => `The rotation failed${at ?? ''}; ${LOG_WITHHELD}.`);
