// Registers <kq-campaign-board>. Importing this module is the side effect.
import { defineElement } from '../foundation/define.js';
import { KqCampaignBoard } from '../elements/campaign-board.js';

defineElement('kq-campaign-board', KqCampaignBoard);

declare global {
  interface HTMLElementTagNameMap {
    'kq-campaign-board': KqCampaignBoard;
  }
}
