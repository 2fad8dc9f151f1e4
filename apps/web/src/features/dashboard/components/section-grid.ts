import type { CSSProperties } from 'react';

// The landing page's sections lay themselves out in plain CSS grids rather than Cloudscape's
// ColumnLayout: ColumnLayout measures its width when it mounts, so drawn hidden (ShownAfterFrame) it
// would first lay out at width zero and move when shown; a grid has nothing to measure.

/** Sections side by side, one column on narrow screens; the gap is Cloudscape's "l" spacing. */
export const sideBySide: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 320px), 1fr))',
  gap: 20,
};

/** Figures in two columns with a divider between them, as ColumnLayout's "text-grid" draws them. */
export const figureGrid: CSSProperties = { display: 'grid', gridTemplateColumns: '1fr 1fr', rowGap: 20 };

/** A figure in the grid's left column, and one in its right column (after the divider). */
export const leftFigure: CSSProperties = { paddingInlineEnd: 20 };
export const rightFigure: CSSProperties = { paddingInlineStart: 20, borderInlineStart: '1px solid #c6c6cd' };
