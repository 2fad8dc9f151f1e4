/** Quotes a value for a POSIX shell. */
export const shellQuote = (value: string) => (/^[A-Za-z0-9_./:=,@+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);

/** Where an `aws` command's own arguments end: before a redirection or the next command of its line. */
const ARGUMENTS_END = / (?:>|2>|\|\||\|) /;

/**
 * Each AWS CLI command of `cli` (one per line, or several joined by &&) with the region spelled out,
 * so the commands act where the console read or acts, whatever the shell's default. The option goes
 * before a redirection (`> policy.json`), where the CLI still reads it. Lines that are not `aws`
 * commands (jq, comments) stay as they are.
 */
export const inRegion = (cli: string, region: string): string =>
  cli
    .split('\n')
    .map((line) =>
      line
        .split(' && ')
        .map((command) => {
          if (!command.startsWith('aws ')) return command;
          const end = ARGUMENTS_END.exec(command)?.index ?? command.length;
          return `${command.slice(0, end)} --region ${region}${command.slice(end)}`;
        })
        .join(' && '),
    )
    .join('\n');
