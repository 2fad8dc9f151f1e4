import type { TargetFreshness } from '@rotation-console/contracts';
import { useState } from 'react';

/**
 * The account-regions the console covers, as the last answer gave them: while the answer
 * for new filters loads (no answer yet), the Account and Region filters and columns stay on screen
 * instead of vanishing under the person's pointer.
 */
export const useKnownTargets = (targets: TargetFreshness[] | undefined): TargetFreshness[] | undefined => {
  const [known, setKnown] = useState(targets);
  // Adjusting state during render (no extra effect pass), as useCursorPages does.
  if (targets !== undefined && targets !== known) setKnown(targets);
  return targets ?? known;
};
