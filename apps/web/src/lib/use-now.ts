import { useEffect, useState } from 'react';

/** The current time, renewed every `everyMs`, for "2 minutes ago" texts that stay true while the page is open. */
export const useNow = (everyMs = 30_000): number => {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
};
