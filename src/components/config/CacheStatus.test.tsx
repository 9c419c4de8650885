import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { CacheStatus } from './CacheStatus';

const get = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ get }),
}));

describe('CacheStatus', () => {
  beforeEach(() => get.mockReset());

  it('shows the backend counters of the saved datasource', async () => {
    get.mockResolvedValue({ eventsCached: 123456, windowsCached: 168, graphRequests: 42, l1Hits: 7 });
    render(<CacheStatus uid="abc" />);
    expect(await screen.findByText('123,456')).toBeInTheDocument();
    expect(screen.getByText('Sign-ins cached')).toBeInTheDocument();
    expect(screen.getByText('168')).toBeInTheDocument();
    expect(get).toHaveBeenCalledWith('/api/datasources/uid/abc/resources/stats');
  });

  it('asks again on refresh and explains a failure', async () => {
    get.mockRejectedValueOnce(new Error('no instance')).mockResolvedValueOnce({ eventsCached: 5 });
    render(<CacheStatus uid="abc" />);
    expect(await screen.findByText(/Save & test the data source/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /Refresh/ }));
    expect(await screen.findByText('5')).toBeInTheDocument();
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('renders nothing before the datasource is saved', () => {
    const { container } = render(<CacheStatus />);
    expect(container).toBeEmptyDOMElement();
  });
});
