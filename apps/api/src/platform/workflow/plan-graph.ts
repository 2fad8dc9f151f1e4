import { InputError } from '../errors.ts';
import type { StepSpec } from './records.ts';

/**
 * Checks that a plan's steps form a graph the runner can finish: unique ids, known
 * dependencies, no cycles. A bad plan is refused before anything is stored, so the
 * runner never meets a step that can never become ready.
 */
export const assertRunnablePlan = (steps: readonly StepSpec[]): void => {
  const ids = new Set<string>();
  for (const step of steps) {
    if (!step.id) throw new InputError({ message: 'Every plan step needs an id.' });
    if (ids.has(step.id)) throw new InputError({ message: `Plan step id "${step.id}" is used twice.` });
    ids.add(step.id);
  }
  for (const step of steps) {
    for (const dep of step.dependsOn) {
      if (!ids.has(dep)) throw new InputError({ message: `Plan step "${step.id}" depends on unknown step "${dep}".` });
      if (dep === step.id) throw new InputError({ message: `Plan step "${step.id}" depends on itself.` });
    }
  }
  // Kahn's algorithm: whatever cannot be ordered sits on a cycle.
  const remaining = new Map(steps.map((s) => [s.id, new Set(s.dependsOn)]));
  let progressed = true;
  while (remaining.size > 0 && progressed) {
    progressed = false;
    for (const [id, deps] of remaining) {
      if ([...deps].every((d) => !remaining.has(d))) {
        remaining.delete(id);
        progressed = true;
      }
    }
  }
  if (remaining.size > 0) {
    throw new InputError({ message: `Plan steps ${[...remaining.keys()].map((id) => `"${id}"`).join(', ')} depend on each other in a cycle.` });
  }
};
