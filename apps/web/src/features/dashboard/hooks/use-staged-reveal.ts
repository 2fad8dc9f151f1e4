import { startTransition, useEffect, useState } from 'react';

/**
 * Once `ready`, reveals a page's sections one stage at a time, each in a background render of its own
 * (a transition, which yields to the browser every few milliseconds) started after the previous one is
 * on screen. The first figures paint early and no single task draws the whole page. Sections are
 * stacked top to bottom, so a later one never moves an earlier one.
 */
export const useStagedReveal = (ready: boolean, stages: number): number => {
  const [stage, setStage] = useState(0);
  useEffect(() => {
    if (!ready || stage >= stages) return;
    const timer = setTimeout(() => startTransition(() => setStage((current) => current + 1)), 0);
    return () => clearTimeout(timer);
  }, [ready, stage, stages]);
  return ready ? stage : 0;
};
