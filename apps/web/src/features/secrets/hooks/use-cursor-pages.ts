import { useCallback, useState } from 'react';

interface CursorPagesState {
  resetKey: string;
  /** cursors[i] opens page i + 1; the first page has no cursor. */
  cursors: (string | undefined)[];
  pageIndex: number;
}

/**
 * Cursor-based paging: the API gives no total, only a nextCursor. The cursors of the pages visited
 * are kept, so going back re-asks for a known page. A new resetKey (the filters) starts over at page 1.
 */
export const useCursorPages = (resetKey: string) => {
  const [state, setState] = useState<CursorPagesState>({ resetKey, cursors: [undefined], pageIndex: 1 });

  // Filters changed: start again from the first page (adjusting state during render, no extra effect pass).
  let current = state;
  if (state.resetKey !== resetKey) {
    current = { resetKey, cursors: [undefined], pageIndex: 1 };
    setState(current);
  }

  const goToNextPage = useCallback((nextCursor: string) => {
    setState((previous) => {
      // Keep the pages further on when they were reached through the same cursor.
      const known = previous.cursors[previous.pageIndex] === nextCursor;
      return {
        ...previous,
        cursors: known ? previous.cursors : [...previous.cursors.slice(0, previous.pageIndex), nextCursor],
        pageIndex: previous.pageIndex + 1,
      };
    });
  }, []);

  const goToPage = useCallback((pageIndex: number) => {
    setState((previous) => (pageIndex >= 1 && pageIndex <= previous.cursors.length ? { ...previous, pageIndex } : previous));
  }, []);

  return {
    pageIndex: current.pageIndex,
    cursor: current.cursors[current.pageIndex - 1],
    knownPages: current.cursors.length,
    goToNextPage,
    goToPage,
  };
};
