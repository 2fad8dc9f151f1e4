import { renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useModule } from './use-module.ts';

describe('useModule', () => {
  it('When it is not wanted yet, then nothing is loaded; once wanted, the module is there', async () => {
    // Arrange
    const load = vi.fn(() => Promise.resolve({ answer: 42 }));

    // Act
    const { result, rerender } = renderHook(({ when }) => useModule(load, when), { initialProps: { when: false } });

    // Assert
    expect(result.current).toEqual({ state: 'waiting' });
    expect(load).not.toHaveBeenCalled();
    rerender({ when: true });
    await waitFor(() => expect(result.current).toEqual({ state: 'loaded', module: { answer: 42 } }));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('When the chunk fails to load, then the state says so with the reason', async () => {
    // Arrange
    const load = () => Promise.reject(new Error('Failed to fetch dynamically imported module'));

    // Act
    const { result } = renderHook(() => useModule(load, true));

    // Assert
    await waitFor(() => expect(result.current).toMatchObject({ state: 'failed', error: { message: 'Failed to fetch dynamically imported module' } }));
  });
});
