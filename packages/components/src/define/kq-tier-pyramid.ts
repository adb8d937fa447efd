// Registers <kq-tier-pyramid>. Importing this module is the side effect.
import { defineElement } from '../foundation/define.js';
import { KqTierPyramid } from '../elements/tier-pyramid.js';

defineElement('kq-tier-pyramid', KqTierPyramid);

declare global {
  interface HTMLElementTagNameMap {
    'kq-tier-pyramid': KqTierPyramid;
  }
}
