import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ShownAfterFrame } from './shown-after-frame.tsx';

describe('ShownAfterFrame', () => {
  it('When a section mounts, then it is hidden at first and shown at the next frame', async () => {
    // Arrange and act
    render(
      <ShownAfterFrame>
        <h2>Rotation coverage</h2>
      </ShownAfterFrame>,
    );

    // Assert
    expect(screen.queryByRole('heading', { name: 'Rotation coverage' })).toBeNull();
    expect(await screen.findByRole('heading', { name: 'Rotation coverage' })).toBeVisible();
  });
});
