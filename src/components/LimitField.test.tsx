import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { LimitField } from './LimitField';

describe('LimitField', () => {
  it('shows the limit, and the default as placeholder when empty', () => {
    const { rerender } = render(<LimitField value={25} placeholder={10} onChange={jest.fn()} />);
    expect(screen.getByLabelText('Limit')).toHaveValue(25);
    rerender(<LimitField placeholder={10} onChange={jest.fn()} />);
    expect(screen.getByLabelText('Limit')).toHaveAttribute('placeholder', '10');
  });

  it('reports a typed limit on blur as a number', async () => {
    const onChange = jest.fn();
    const user = userEvent.setup({ delay: null });
    render(<LimitField placeholder={100} onChange={onChange} />);
    await user.type(screen.getByLabelText('Limit'), '250');
    expect(onChange).not.toHaveBeenCalled();
    await user.tab();
    expect(onChange).toHaveBeenCalledWith(250);
  });

  it('reports an emptied limit as unset', async () => {
    const onChange = jest.fn();
    const user = userEvent.setup({ delay: null });
    render(<LimitField value={5} placeholder={10} onChange={onChange} />);
    await user.clear(screen.getByLabelText('Limit'));
    await user.tab();
    expect(onChange).toHaveBeenCalledWith(undefined);
  });
});
