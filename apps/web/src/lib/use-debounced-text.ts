import { useEffect, useState } from 'react';

/** How long a text filter waits after the last keystroke before asking again. */
export const FILTER_DEBOUNCE_MS = 300;

const normalize = (value: string | undefined) => value?.trim() ?? '';

/**
 * A text box bound to a committed value (a URL parameter): typing updates the box at once and commits
 * the trimmed text after FILTER_DEBOUNCE_MS; a committed value changed elsewhere (Clear filters,
 * back button) replaces the box's text.
 */
export const useDebouncedText = (committed: string | undefined, commit: (value: string) => void) => {
  const [text, setText] = useState(committed ?? '');
  const [seen, setSeen] = useState(normalize(committed));

  if (normalize(committed) !== seen) {
    setSeen(normalize(committed));
    if (normalize(text) !== normalize(committed)) setText(committed ?? '');
  }

  useEffect(() => {
    if (normalize(text) === normalize(committed)) return;
    const timer = setTimeout(() => commit(text), FILTER_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, committed, commit]);

  return [text, setText] as const;
};
