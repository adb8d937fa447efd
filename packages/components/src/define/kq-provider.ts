// Registers <kq-provider>. Importing this module is the side effect.
import { defineElement } from '../foundation/define.js';
import { KqProvider } from '../elements/provider.js';

defineElement('kq-provider', KqProvider);

declare global {
  interface HTMLElementTagNameMap {
    'kq-provider': KqProvider;
  }
}
