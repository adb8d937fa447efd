// Registers <kq-customer-card>. Importing this module is the side effect.
import { defineElement } from '../foundation/define.js';
import { KqCustomerCard } from '../elements/customer-card.js';

defineElement('kq-customer-card', KqCustomerCard);

declare global {
  interface HTMLElementTagNameMap {
    'kq-customer-card': KqCustomerCard;
  }
}
