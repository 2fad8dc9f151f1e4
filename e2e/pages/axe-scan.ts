import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** The WCAG 2.0, 2.1 and 2.2 A and AA rules of axe-core, the bar issue 11 sets for every page. */
export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Scans the page as it is with axe-core and fails on every serious or critical violation, listing
 * each rule with the elements it found, so the failure says what to fix and where.
 */
export const expectNoSeriousViolations = async (page: Page, what: string) => {
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA_TAGS).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ')})` : ''}`).join('; ')}`,
    );
  expect.soft(serious, `serious or critical axe violations on ${what}`).toEqual([]);
};
