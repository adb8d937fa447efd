// Registers <kq-tier-migration>. Importing this module is the side effect.
import { defineElement } from '../foundation/define.js';
import { KqTierMigration } from '../elements/tier-migration.js';

defineElement('kq-tier-migration', KqTierMigration);

declare global {
  interface HTMLElementTagNameMap {
    'kq-tier-migration': KqTierMigration;
  }
}
