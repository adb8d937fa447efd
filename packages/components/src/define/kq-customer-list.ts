// Registers <kq-customer-list>. Importing this module is the side effect.
import { defineElement } from '../foundation/define.js';
import { KqCustomerList } from '../elements/customer-list.js';

defineElement('kq-customer-list', KqCustomerList);

declare global {
  interface HTMLElementTagNameMap {
    'kq-customer-list': KqCustomerList;
  }
}
