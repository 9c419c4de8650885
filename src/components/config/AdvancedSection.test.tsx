import { screen } from '@testing-library/react';

import { startsWith } from '../../test/fixtures';

import { AdvancedSection } from './AdvancedSection';
import { renderConfig } from './testing';

describe('AdvancedSection', () => {
  it("starts closed, and shows the cloud's endpoints as placeholders", async () => {
    const { user } = renderConfig(AdvancedSection, { cloud: 'AzureChinaCloud' });
    await user.click(screen.getByRole('button', { name: 'Expand section Advanced' }));
    expect(screen.getByLabelText(startsWith('Microsoft Graph endpoint'))).toHaveAttribute(
      'placeholder',
      'https://microsoftgraph.chinacloudapi.cn'
    );
    expect(screen.getByLabelText(startsWith('Authority host'))).toHaveAttribute(
      'placeholder',
      'https://login.chinacloudapi.cn/'
    );
    expect(screen.getAllByText('allow_custom_endpoints = true')).toHaveLength(2);
  });

  it('saves overrides and a CA certificate', async () => {
    const { user, latest } = renderConfig(AdvancedSection);
    await user.click(screen.getByRole('button', { name: 'Expand section Advanced' }));
    await user.type(screen.getByLabelText(startsWith('Microsoft Graph endpoint')), 'https://graph.proxy.example');
    await user.type(screen.getByLabelText(startsWith('Authority host')), 'https://login.proxy.example/');
    await user.type(screen.getByLabelText(startsWith('TLS CA certificate')), 'PEM');
    expect(latest().jsonData).toEqual({
      graphEndpoint: 'https://graph.proxy.example',
      authorityHost: 'https://login.proxy.example/',
    });
    expect(latest().secureJsonData).toEqual({ tlsCACert: 'PEM' });
  });

  it('starts open when a CA certificate is saved', () => {
    renderConfig(AdvancedSection, {}, { tlsCACert: true });
    expect(screen.getByRole('button', { name: 'Reset' })).toBeInTheDocument();
  });

  it('removes an emptied override', async () => {
    const { user, latest } = renderConfig(AdvancedSection, { graphEndpoint: 'https://x' });
    await user.clear(screen.getByLabelText(startsWith('Microsoft Graph endpoint')));
    expect(latest().jsonData.graphEndpoint).toBeUndefined();
  });
});
