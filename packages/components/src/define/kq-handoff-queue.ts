// Registers <kq-handoff-queue>. Importing this module is the side effect.
import { defineElement } from '../foundation/define.js';
import { KqHandoffQueue } from '../elements/handoff-queue.js';

defineElement('kq-handoff-queue', KqHandoffQueue);

declare global {
  interface HTMLElementTagNameMap {
    'kq-handoff-queue': KqHandoffQueue;
  }
}
