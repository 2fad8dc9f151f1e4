import { Fragment, type CSSProperties } from 'react';

/** Long names break only where they must (no space in a cell for the whole word), rather than spill out of their cell. */
const WRAP: CSSProperties = { overflowWrap: 'break-word' };
const truncated = (maxWidth: string): CSSProperties => ({ display: 'block', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', maxWidth });

export interface UserTextProps {
  text: string;
  /** Cut to one line with an ellipsis past this width (a CSS length), for values no one reads whole in a table. */
  truncateAt?: string;
  /** What hovering shows; the text itself unless there is more to show (a function's whole ARN). */
  title?: string;
}

/**
 * Text from AWS that a person typed (a secret's name, description or tag), shown isolated in `<bdi>`:
 * a right-to-left override (U+202E) or other bidi control inside it then reorders only that text,
 * never the words around it (a name cannot make the row read as something else). Long values wrap,
 * or are cut with an ellipsis; the full text is the title, read on hover.
 */
export function UserText({ text, truncateAt, title = text }: UserTextProps) {
  return (
    <bdi title={title} style={truncateAt ? truncated(truncateAt) : WRAP}>
      {truncateAt ? text : <BreakAfterSeparators text={text} />}
    </bdi>
  );
}

/**
 * A path, a name or an ARN with a line-break opportunity (`<wbr>`) after each "/" and ":", so a long
 * one (prod/payments/orders-db, arn:aws:…) wraps between its parts instead of widening its column
 * or breaking inside a word. Copying the text copies it whole.
 */
export function BreakAfterSeparators({ text }: { text: string }) {
  const parts = text.split(/(?<=[/:])/);
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </>
  );
}
