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
    get.mockResolvedValue({
      eventsCached: 123456,
      windowsCached: 168,
      graphRequests: 42,
      l1Hits: 7,
      daysCounted: 29,
      revalidations: 3,
      windowsRevised: 2,
    });
    render(<CacheStatus uid="abc" />);
    expect(await screen.findByText('123,456')).toBeInTheDocument();
    expect(screen.getByText('Sign-ins cached')).toBeInTheDocument();
    expect(screen.getByText('168')).toBeInTheDocument();
    expect(screen.getByText('Days counted per profile')).toBeInTheDocument();
    expect(screen.getByText('Windows revised')).toBeInTheDocument();
    expect(screen.getByText('29')).toBeInTheDocument();
    expect(get).toHaveBeenCalledWith('/api/datasources/uid/abc/resources/stats');
    expect(get).toHaveBeenCalledWith('/api/datasources/uid/abc/resources/warnings');
  });

  it('shows the warnings of the backend next to its counters', async () => {
    get.mockImplementation(async (url: string) =>
      url.endsWith('/warnings')
        ? { warnings: ['memcached is not used: no secret', 'the cache could not be saved to /x: read-only'] }
        : { eventsCached: 5 }
    );
    render(<CacheStatus uid="abc" />);
    expect(await screen.findByText('memcached is not used: no secret')).toBeInTheDocument();
    expect(screen.getByText('the cache could not be saved to /x: read-only')).toBeInTheDocument();
    expect(screen.getAllByRole('alert')).toHaveLength(2);
    expect(screen.getByText('5')).toBeInTheDocument();
  });

  it('shows no warning when the backend reports none', async () => {
    get.mockImplementation(async (url: string) =>
      url.endsWith('/warnings') ? { warnings: null } : { eventsCached: 5 }
    );
    render(<CacheStatus uid="abc" />);
    expect(await screen.findByText('5')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('asks again on refresh and explains a failure', async () => {
    get.mockImplementation(async (url: string) => (url.endsWith('/warnings') ? { warnings: [] } : { eventsCached: 5 }));
    get.mockRejectedValueOnce(new Error('no instance'));
    render(<CacheStatus uid="abc" />);
    expect(await screen.findByText(/Save & test the data source/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /Refresh/ }));
    expect(await screen.findByText('5')).toBeInTheDocument();
    expect(get.mock.calls.filter(([url]) => url.endsWith('/stats'))).toHaveLength(2);
  });

  it('renders nothing before the datasource is saved', () => {
    const { container } = render(<CacheStatus />);
    expect(container).toBeEmptyDOMElement();
  });

  it('shows warming at start as a bar with what is loaded and the time left, then as done', async () => {
    get.mockImplementation(async (url: string) =>
      url.endsWith('/warnings')
        ? { warnings: [] }
        : { warmWindowsTotal: 672, warmWindowsLoaded: 96, warmSignIns: 1234567, warmSecondsLeft: 720 }
    );
    const { unmount } = render(<CacheStatus uid="abc" />);
    const bar = await screen.findByRole('progressbar', { name: 'Warming the cache' });
    expect(bar).toHaveAttribute('value', '96');
    expect(bar).toHaveAttribute('max', '672');
    expect(
      screen.getByText('Warming the cache: 96 of 672 time windows, 1,234,567 sign-ins, about 12 min left')
    ).toBeInTheDocument();
    unmount();

    get.mockImplementation(async (url: string) =>
      url.endsWith('/warnings') ? { warnings: [] } : { warmWindowsTotal: 672, warmWindowsLoaded: 672, warmSignIns: 9 }
    );
    render(<CacheStatus uid="abc" />);
    expect(await screen.findByText('Warmed at start: 9 sign-ins of the last days cached.')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });
});
