import { useEffect, useState } from 'react';

export type ModuleState<T> = { state: 'waiting' } | { state: 'loaded'; module: T } | { state: 'failed'; error: Error };

/**
 * A module loaded on demand (`load` is a dynamic import), once `when` turns true; the page decides
 * when to draw what it holds. Unlike React.lazy, nothing suspends: a section that needs the module
 * waits for it before it is drawn, so it mounts in one render of its own.
 */
export const useModule = <T>(load: () => Promise<T>, when: boolean): ModuleState<T> => {
  const [loaded, setLoaded] = useState<ModuleState<T>>({ state: 'waiting' });
  useEffect(() => {
    if (!when) return;
    let live = true;
    // In a task of its own: asking for a chunk adds a <link> per file it needs, which makes the browser
    // look at the page's styles again; inside a render's task that would lengthen it.
    const timer = setTimeout(() => {
      load().then(
        (module) => live && setLoaded({ state: 'loaded', module }),
        (error: unknown) => live && setLoaded({ state: 'failed', error: error instanceof Error ? error : new Error(String(error)) }),
      );
    }, 0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [load, when]);
  return loaded;
};
