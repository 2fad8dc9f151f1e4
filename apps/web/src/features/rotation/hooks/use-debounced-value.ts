import { useEffect, useState } from 'react';

/** How long the schedule preview waits after the last keystroke before asking the API. */
export const PREVIEW_DEBOUNCE_MS = 300;

/**
 * `value` once it has stopped changing for `delayMs`. Values are compared by their JSON, so a new
 * object with the same content does not restart the wait.
 */
export const useDebouncedValue = <T>(value: T, delayMs: number = PREVIEW_DEBOUNCE_MS): T => {
  const [debounced, setDebounced] = useState(value);
  const key = JSON.stringify(value);
  const debouncedKey = JSON.stringify(debounced);

  useEffect(() => {
    if (key === debouncedKey) return;
    const timer = setTimeout(() => setDebounced(JSON.parse(key) as T), delayMs);
    return () => clearTimeout(timer);
  }, [key, debouncedKey, delayMs]);

  return debounced;
};
