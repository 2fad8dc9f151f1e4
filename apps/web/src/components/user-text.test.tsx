import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { UserText } from './user-text.tsx';

const RLO = '\u202E';

describe('UserText', () => {
  it('When a name holds a right-to-left override, then it is rendered inside an isolating element with the full text on hover', () => {
    const name = `prod/${RLO}gpj.exe`;
    render(
      <p>
        Rotate <UserText text={name} /> now
      </p>,
    );

    const shown = screen.getByText(name);
    // <bdi> isolates its text from the bidi algorithm of the text around it (HTML's bdi element).
    expect(shown.tagName).toBe('BDI');
    expect(shown).toHaveAttribute('title', name);
    expect(shown.parentElement).toHaveTextContent(`Rotate ${name} now`);
  });

  it('When a long name has "/" or ":" in it, then it may wrap after them and reads whole', () => {
    const name = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/payments/orders-db';
    const { container } = render(<UserText text={name} />);

    const shown = screen.getByText(name);
    expect(shown).toHaveTextContent(name);
    expect(container.querySelectorAll('wbr')).toHaveLength(name.split(/[/:]/).length - 1);
  });
});
