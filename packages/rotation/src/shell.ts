/** Quotes a value for a POSIX shell. */
export const shellQuote = (value: string) => (/^[A-Za-z0-9_./:=,@+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);
