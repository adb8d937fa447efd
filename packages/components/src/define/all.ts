// Registers every kq-* element. Importing this module is the side effect.
import './kq-provider.js';
import './kq-tier-pyramid.js';
import './kq-customer-list.js';
import './kq-customer-card.js';
import './kq-segment-builder.js';
import './kq-tier-migration.js';
import './kq-contact-plan.js';
import './kq-handoff-queue.js';
import './kq-kpi-dashboard.js';
import './kq-campaign-board.js';
import './kq-campaign-funnel.js';
