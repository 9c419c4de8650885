import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { CommitInput } from './CommitInput';

describe('CommitInput', () => {
  it('reports the text on blur, not on each keystroke', async () => {
    const onCommit = jest.fn();
    const user = userEvent.setup({ delay: null });
    render(<CommitInput aria-label="text" value="a" onCommit={onCommit} />);
    await user.type(screen.getByLabelText('text'), 'bc');
    expect(onCommit).not.toHaveBeenCalled();
    await user.tab();
    expect(onCommit).toHaveBeenCalledTimes(1);
    expect(onCommit).toHaveBeenCalledWith('abc');
  });

  it('reports on Enter, and not again on blur when nothing changed since', async () => {
    const onCommit = jest.fn();
    const user = userEvent.setup({ delay: null });
    const { rerender } = render(<CommitInput aria-label="text" value="" onCommit={onCommit} />);
    await user.type(screen.getByLabelText('text'), 'x{Enter}');
    expect(onCommit).toHaveBeenCalledWith('x');
    rerender(<CommitInput aria-label="text" value="x" onCommit={onCommit} />);
    await user.tab();
    expect(onCommit).toHaveBeenCalledTimes(1);
  });

  it('does not report a blur without a change', async () => {
    const onCommit = jest.fn();
    const user = userEvent.setup({ delay: null });
    render(<CommitInput aria-label="text" value="same" onCommit={onCommit} />);
    await user.click(screen.getByLabelText('text'));
    await user.tab();
    expect(onCommit).not.toHaveBeenCalled();
  });

  it('shows a new value from outside', () => {
    const { rerender } = render(<CommitInput aria-label="text" value="old" onCommit={jest.fn()} />);
    rerender(<CommitInput aria-label="text" value="new" onCommit={jest.fn()} />);
    expect(screen.getByLabelText('text')).toHaveValue('new');
  });
});
