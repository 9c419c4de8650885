import { screen, within } from '@testing-library/react';

import { startsWith } from '../test/fixtures';

import { ConfigEditor } from './ConfigEditor';
import { renderConfig } from './config/testing';

const get = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ get }),
}));

/**
 * The editor, once the cache status of its saved datasource has loaded: the status
 * arrives after the first render, and its update must land before the test ends.
 */
async function renderEditor() {
  get.mockImplementation(async (url: string) => (url.endsWith('/warnings') ? { warnings: [] } : { eventsCached: 5 }));
  const result = renderConfig(ConfigEditor);
  expect(await screen.findByRole('table', { name: 'Cache status' })).toBeInTheDocument();
  return result;
}

/** A source's radio button: the demo API offers the same names. */
const source = (name: string) =>
  within(screen.getByRole('radiogroup', { name: 'Source' })).getByRole('radio', { name });

describe('ConfigEditor', () => {
  beforeEach(() => get.mockReset());

  it('needs no credentials for the demo tenant', async () => {
    await renderEditor();
    const headings = () => screen.getAllByRole('heading').map((h) => h.textContent);
    expect(headings()).toEqual(['Source', 'Cache', 'Throttle and limits']);
  });

  it('asks for the Entra ID app once Microsoft Graph is chosen', async () => {
    const { user, latest } = await renderEditor();
    await user.click(source('Microsoft Graph'));
    expect(screen.getAllByRole('heading').map((h) => h.textContent)).toEqual([
      'Source',
      'Microsoft Entra ID',
      'Advanced',
      'Cache',
      'Throttle and limits',
    ]);
    await user.type(screen.getByLabelText(/Tenant ID/), 'contoso.onmicrosoft.com');
    expect(latest().jsonData).toEqual({ source: 'graph', tenantId: 'contoso.onmicrosoft.com' });
  });

  it('opens the collapsed sections on request', async () => {
    const { user } = await renderEditor();
    expect(screen.queryByLabelText(startsWith('Requests per window'))).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Expand section Throttle and limits' }));
    expect(screen.getByLabelText(startsWith('Requests per window'))).toBeInTheDocument();
  });

  it('asks for the Entra ID identity and the workspace once Log Analytics is chosen', async () => {
    const { user, latest } = await renderEditor();
    await user.click(source('Log Analytics workspace'));
    expect(screen.getAllByRole('heading').map((h) => h.textContent)).toEqual([
      'Source',
      'Microsoft Entra ID',
      'Advanced',
      'Cache',
      'Throttle and limits',
    ]);
    expect(screen.getByText('Log Analytics Reader')).toBeInTheDocument();
    await user.type(screen.getByLabelText(startsWith('Workspace ID')), 'f00');
    await user.type(screen.getByLabelText(/Tenant ID/), 'contoso.onmicrosoft.com');
    expect(latest().jsonData).toEqual({
      source: 'logAnalytics',
      workspaceId: 'f00',
      tenantId: 'contoso.onmicrosoft.com',
    });
  });
});
