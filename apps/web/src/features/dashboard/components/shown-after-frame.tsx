import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * Mounts its children hidden (display: none) and shows them at the next animation frame. Cloudscape's
 * components measure themselves while they mount (getBoundingClientRect in layout effects), which
 * makes the browser style and lay out every new element inside that same task (a long task with
 * Cloudscape's Table: its rows); hidden, there is nothing to measure, and the browser styles the
 * section in its own rendering step instead. The frame callback unhides the element itself, so that
 * same frame draws it: a React render in between could be one whose own measuring would style the
 * section in its task again. Only for content that does not size itself to its container when it
 * mounts (ColumnLayout does: it would first draw at width zero, and move when shown; section-grid.ts
 * lays the dashboard's sections out without it).
 */
export function ShownAfterFrame({ children }: { children: ReactNode }) {
  const element = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      if (element.current) element.current.hidden = false;
      setShown(true);
    });
    return () => cancelAnimationFrame(frame);
  }, []);
  return (
    <div ref={element} hidden={!shown}>
      {children}
    </div>
  );
}
