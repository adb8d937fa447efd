// The relationship manager's workbench: my customers → the 360 card, today's contact plan and
// the upgrade hand-offs. Every block is a kq-* element; the server scopes what each role sees.
import type { ContactOutcomeEntry, KqContactPlan, KqCustomerCard } from '@kequn/components';
import { may } from '../session.js';
import { panel, required } from '../dom.js';
import type { PageContext } from './context.js';

const OUTCOMES_KEY = 'kequn-playground-contact-outcomes';

/**
 * The API has no contact-recording route yet, so the workbench keeps outcomes in this tab, the
 * way a portal would hand them to its CRM.
 */
async function recordInThisTab(entry: ContactOutcomeEntry): Promise<void> {
  const recorded: unknown = JSON.parse(sessionStorage.getItem(OUTCOMES_KEY) ?? '[]');
  const outcomes = Array.isArray(recorded) ? recorded : [];
  sessionStorage.setItem(OUTCOMES_KEY, JSON.stringify([...outcomes, entry]));
}

function notPermitted(permission: string): string {
  return `<p class="hint"><span data-text="notPermitted"></span><code>${permission}</code></p>`;
}

export function renderWorkbench({ session, config, container }: PageContext): void {
  const managerId = session.me.principal.managerId;
  const isManager = session.me.principal.role === 'manager';
  container.innerHTML = `<div class="grid workbench">
    ${panel(
      'myCustomers',
      may(session, 'customers.list')
        ? '<kq-customer-list page-size="100"></kq-customer-list>'
        : notPermitted('customers.list'),
    )}
    ${panel(
      'customerCard',
      may(session, 'customers.view')
        ? '<p class="hint" data-text="pickCustomer"></p><kq-customer-card hidden></kq-customer-card>'
        : notPermitted('customers.view'),
    )}
    ${panel(
      'contactPlan',
      isManager && managerId !== undefined && may(session, 'books.read')
        ? `<p class="hint" data-text="recorderNote"></p><kq-contact-plan date="${config.asOf}" limit="20"></kq-contact-plan>`
        : '<p class="hint" data-text="noBook"></p>',
      'wide',
    )}
    ${panel(
      'handoffs',
      may(session, 'handoffs.read')
        ? `<kq-handoff-queue as-of="${config.asOf}"></kq-handoff-queue>`
        : notPermitted('handoffs.read'),
      'wide',
    )}
  </div>`;

  const plan = container.querySelector<KqContactPlan>('kq-contact-plan');
  if (plan !== null && managerId !== undefined) {
    plan.managerId = managerId;
    plan.recorder = recordInThisTab;
  }
  const card = container.querySelector<KqCustomerCard>('kq-customer-card');
  if (card === null) return;
  container.addEventListener('kq-customer-select', (event) => {
    card.customerId = event.detail.customerId;
    card.hidden = false;
    required<HTMLElement>(card.parentElement ?? container, '.hint').hidden = true;
  });
}
