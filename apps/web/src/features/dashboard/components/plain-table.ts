import type { CSSProperties } from 'react';

/**
 * Cell styles of the landing page's small read-only tables (coverage, due soon): plain semantic
 * tables in the console's look. They never sort, resize or select, so they skip the Table component,
 * whose machinery costs a long task per table on first paint.
 */
export const headerCell: CSSProperties = { padding: '6px 8px', textAlign: 'start', borderBottom: '1px solid #c6c6cd', fontWeight: 700 };
export const rowHeaderCell: CSSProperties = { padding: '6px 8px', textAlign: 'start', borderBottom: '1px solid #ebebf0', fontWeight: 'normal' };
export const cell: CSSProperties = { padding: '6px 8px', textAlign: 'start', borderBottom: '1px solid #ebebf0' };
export const numberCell: CSSProperties = { ...cell, textAlign: 'end', fontVariantNumeric: 'tabular-nums' };
export const numberHeaderCell: CSSProperties = { ...headerCell, textAlign: 'end' };
export const tableStyle: CSSProperties = { borderCollapse: 'collapse', width: '100%' };
