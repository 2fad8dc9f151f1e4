import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { INDEX_CHANGES_PATH, useIndexChanges } from './watch-index-changes.ts';

/** jsdom has no EventSource: a stand-in the test drives as the API's stream would. */
class FakeEventSource {
  static last: FakeEventSource | null = null;
  readonly url: string;
  closed = false;
  readonly #listeners = new Map<string, (() => void)[]>();
  constructor(url: string) {
    this.url = url;
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: () => void) {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }
  emit(type: string) {
    for (const listener of this.#listeners.get(type) ?? []) listener();
  }
  close() {
    this.closed = true;
  }
}

const setUp = () => {
  vi.stubGlobal('EventSource', FakeEventSource);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const reads = { dashboard: 0, check: 0 };
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
  const hook = renderHook(
    () => {
      useIndexChanges();
      useQuery({ queryKey: ['dashboard', 'summary'], queryFn: () => ++reads.dashboard });
      // Not the index's: a secret check reads AWS and is left alone.
      useQuery({ queryKey: ['secrets', 'check', 'x'], queryFn: () => ++reads.check });
    },
    { wrapper },
  );
  return { reads, hook };
};

describe('useIndexChanges', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('When the API says the index changed, then the dashboard is read again and a secret check is not', async () => {
    // Arrange
    const { reads } = setUp();
    await waitFor(() => expect(reads.dashboard).toBe(1));
    expect(FakeEventSource.last?.url).toBe(new URL(INDEX_CHANGES_PATH, window.location.origin).toString());

    // Act
    act(() => FakeEventSource.last!.emit('index-changed'));

    // Assert
    await waitFor(() => expect(reads.dashboard).toBe(2));
    expect(reads.check).toBe(1);
  });

  it('When the stream reconnects after a drop, then the dashboard is read again, and the stream closes with the page', async () => {
    // Arrange
    const { reads, hook } = setUp();
    await waitFor(() => expect(reads.dashboard).toBe(1));
    act(() => FakeEventSource.last!.emit('open'));

    // Act
    act(() => FakeEventSource.last!.emit('open'));
    await waitFor(() => expect(reads.dashboard).toBe(2));
    hook.unmount();

    // Assert
    expect(FakeEventSource.last!.closed).toBe(true);
  });
});
