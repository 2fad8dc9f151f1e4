import type { Page } from '@playwright/test';

/** What the layout check found wrong in one table: a cell whose text does not fit it. */
export interface LayoutProblem {
  table: string;
  column: string;
  text: string;
  problem: 'clipped' | 'broken mid-word' | 'table wider than its container';
}

/**
 * Every table of the page, looked at as drawn: a cell whose content is wider than the cell
 * (scrollWidth past clientWidth: the text is cut off or hidden under the next column), a word
 * (a run of letters and digits) drawn over two lines, and a table that only fits by scrolling
 * sideways (its last columns out of sight). Breaks after "/", "-" or spaces are fine.
 */
export const tableLayoutProblems = (page: Page): Promise<LayoutProblem[]> =>
  page.evaluate(() => {
    const problems: LayoutProblem[] = [];
    const labelOf = (table: HTMLTableElement) =>
      table.getAttribute('aria-label') ?? table.closest('[aria-label]')?.getAttribute('aria-label') ?? '(unnamed table)';
    const columnOf = (cell: HTMLTableCellElement) => {
      const header = cell.closest('table')?.querySelectorAll('thead th')[cell.cellIndex];
      return (header?.textContent ?? '').trim() || `column ${cell.cellIndex + 1}`;
    };
    const brokenWord = (cell: HTMLElement) => {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/[\p{L}\p{N}]{2,}/gu)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (tops.size > 1) return match[0];
        }
      }
      return null;
    };
    for (const table of document.querySelectorAll('table')) {
      if (!table.checkVisibility()) continue;
      // Cloudscape draws a sticky copy of the header row as a table of its own: the real one is checked.
      if (!table.querySelector('tbody tr')) continue;
      const label = labelOf(table);
      const scroller = table.parentElement;
      if (scroller && scroller.scrollWidth > scroller.clientWidth + 1) {
        problems.push({ table: label, column: '', text: '', problem: 'table wider than its container' });
      }
      for (const cell of table.querySelectorAll<HTMLTableCellElement>('th, td')) {
        const text = (cell.textContent ?? '').trim();
        if (!text) continue;
        // Cut with an ellipsis and the full text as the title (read on hover) is how a long identifier is meant to look.
        const truncatedWithTitle = (el: HTMLElement) => getComputedStyle(el).textOverflow === 'ellipsis' && el.closest('[title]') !== null;
        const clipped = [cell, ...cell.querySelectorAll<HTMLElement>('*')].some(
          (el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible' && !truncatedWithTitle(el),
        );
        if (clipped) problems.push({ table: label, column: columnOf(cell), text, problem: 'clipped' });
        const word = brokenWord(cell);
        if (word) problems.push({ table: label, column: columnOf(cell), text: word, problem: 'broken mid-word' });
      }
    }
    return problems;
  });
