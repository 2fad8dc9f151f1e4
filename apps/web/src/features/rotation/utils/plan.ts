import type { PlanStep, RotationPlan } from '@rotation-console/contracts';

export interface PlanRow {
  step: PlanStep;
  /** 1-based stage number: steps with the same number run at the same time. */
  order: number;
  /** Titles of the other steps of the same stage. */
  runsWith: string[];
}

/** The plan's steps in stage order, each with its stage number and the steps it runs in parallel with. */
export const planRows = (plan: RotationPlan): PlanRow[] => {
  const byId = new Map(plan.steps.map((step) => [step.id, step]));
  const rows: PlanRow[] = [];
  const seen = new Set<string>();
  plan.stages.forEach((stage, index) => {
    for (const id of stage) {
      const step = byId.get(id);
      if (!step || seen.has(id)) continue;
      seen.add(id);
      const runsWith = stage.filter((other) => other !== id).map((other) => byId.get(other)?.title ?? other);
      rows.push({ step, order: index + 1, runsWith });
    }
  });
  // A step the stages do not name (should not happen) still shows, after the others.
  for (const step of plan.steps) {
    if (!seen.has(step.id)) rows.push({ step, order: plan.stages.length + 1, runsWith: [] });
  }
  return rows;
};

/** Wizard steps (0-based) that own a request field: schedule on step 1, function and network on step 2. */
export const stepForErrorPath = (path: string): number | null => {
  const head = path.split(/[.[]/)[0] ?? '';
  if (head === 'schedule' || head === 'duration' || head === 'rotateImmediately') return 0;
  if (head === 'function' || head === 'network') return 1;
  return null;
};
