// Registers <kq-segment-builder>. Importing this module is the side effect.
import { defineElement } from '../foundation/define.js';
import { KqSegmentBuilder } from '../elements/segment-builder.js';

defineElement('kq-segment-builder', KqSegmentBuilder);

declare global {
  interface HTMLElementTagNameMap {
    'kq-segment-builder': KqSegmentBuilder;
  }
}
