// Registers <kq-kpi-dashboard>. Importing this module is the side effect.
import { defineElement } from '../foundation/define.js';
import { KqKpiDashboard } from '../elements/kpi-dashboard.js';

defineElement('kq-kpi-dashboard', KqKpiDashboard);

declare global {
  interface HTMLElementTagNameMap {
    'kq-kpi-dashboard': KqKpiDashboard;
  }
}
