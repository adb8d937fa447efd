// Registers <kq-contact-plan>. Importing this module is the side effect.
import { defineElement } from '../foundation/define.js';
import { KqContactPlan } from '../elements/contact-plan.js';

defineElement('kq-contact-plan', KqContactPlan);

declare global {
  interface HTMLElementTagNameMap {
    'kq-contact-plan': KqContactPlan;
  }
}
