import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { TimeAggregateField } from './TimeAggregateField';

describe('TimeAggregateField', () => {
  it('shows the current window and reports the picked one', async () => {
    const onChange = jest.fn();
    render(<TimeAggregateField value="auto" allowAuto onChange={onChange} />);
    expect(screen.getByRole('radio', { name: 'Auto' })).toBeChecked();
    await userEvent.setup({ delay: null }).click(screen.getByRole('radio', { name: '6h' }));
    expect(onChange).toHaveBeenCalledWith('6h');
  });

  it('offers only the portal windows when auto is not allowed', () => {
    render(<TimeAggregateField value="1h" allowAuto={false} onChange={jest.fn()} />);
    expect(screen.queryByRole('radio', { name: 'Auto' })).not.toBeInTheDocument();
    expect(screen.getAllByRole('radio').map((r) => r.parentElement?.textContent?.trim())).toEqual(['1h', '6h', '24h']);
  });
});
