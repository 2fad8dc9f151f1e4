import type { CSSProperties } from 'react';

/** Long unbroken names (ARNs, paths) break where they must rather than spill out of their cell. */
const WRAP: CSSProperties = { overflowWrap: 'anywhere' };

/**
 * Text a person typed into AWS (a secret's name, description or tag), shown isolated in `<bdi>`:
 * a right-to-left override (U+202E) or other bidi control inside it then reorders only that text,
 * never the words around it (a name cannot make "Rotate prod/a" read as something else). Long
 * values wrap, and the full text is the title, so it can be read on hover wherever it is cut.
 */
export function UserText({ text }: { text: string }) {
  return (
    <bdi title={text} style={WRAP}>
      {text}
    </bdi>
  );
}
