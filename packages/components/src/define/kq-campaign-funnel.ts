// Registers <kq-campaign-funnel>. Importing this module is the side effect.
import { defineElement } from '../foundation/define.js';
import { KqCampaignFunnel } from '../elements/campaign-funnel.js';

defineElement('kq-campaign-funnel', KqCampaignFunnel);

declare global {
  interface HTMLElementTagNameMap {
    'kq-campaign-funnel': KqCampaignFunnel;
  }
}
