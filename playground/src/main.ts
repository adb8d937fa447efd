// The demo bank portal: sign in as any role of the synthetic bank, then the relationship
// manager's workbench, the marketing console or the plugin lab — all built from kq-* elements
// inside one <kq-provider>. Locale and theme apply to the whole page.
import '@kequn/components/define/all';
import type { KqProvider } from '@kequn/components';
import type { Role } from '@kequn/api';
import { loadPlaygroundConfig } from './config.js';
import {
  demoRoles,
  resumeSession,
  roleLabel,
  signIn,
  signOut,
  usersOf,
  type Session,
} from './session.js';
import { applyTexts, escapeHtml, required } from './dom.js';
import { portalLocale, setPortalLocale, t, type PortalLocale } from './texts.js';
import { renderWorkbench } from './pages/workbench.js';
import { renderMarketing } from './pages/marketing.js';
import { renderLab } from './pages/lab.js';
import type { PageContext } from './pages/context.js';

type PageId = 'workbench' | 'marketing' | 'lab';
const pages: Record<PageId, (context: PageContext) => void> = {
  workbench: renderWorkbench,
  marketing: renderMarketing,
  lab: renderLab,
};
const PREFERENCES_KEY = 'kequn-playground-preferences';

function pageOf(hash: string): PageId {
  const id = hash.replace(/^#\/?/, '');
  return id === 'marketing' || id === 'lab' ? id : 'workbench';
}

/** The page a role lands on: managers work their book, everyone else starts at the console. */
function landingPage(role: Role): PageId {
  return role === 'manager' ? 'workbench' : 'marketing';
}

function shell(): string {
  return `<header class="portal-header">
      <h1 data-text="title"></h1>
      <nav aria-label="pages">
        <a href="#/workbench" data-page="workbench" data-text="workbench"></a>
        <a href="#/marketing" data-page="marketing" data-text="marketing"></a>
        <a href="#/lab" data-page="lab" data-text="lab"></a>
      </nav>
      <div class="preferences">
        <label><span data-text="locale"></span>
          <select id="locale"><option value="zh-CN">中文</option><option value="en">English</option></select></label>
        <label><span data-text="theme"></span>
          <select id="theme"><option value="default" data-text="themeDefault"></option><option value="dark" data-text="themeDark"></option></select></label>
      </div>
    </header>
    <form class="sign-in" id="sign-in">
      <label><span data-text="role"></span> <select id="role"></select></label>
      <label><span data-text="user"></span> <select id="user"></select></label>
      <button type="submit" data-text="signIn"></button>
      <span class="who" id="who"></span>
      <button type="button" id="sign-out" data-text="signOut" hidden></button>
      <span class="problem" id="sign-in-problem" role="alert"></span>
    </form>
    <kq-provider><main id="page"></main></kq-provider>`;
}

async function start(root: HTMLElement): Promise<void> {
  const config = await loadPlaygroundConfig();
  const preferences = readPreferences();
  root.innerHTML = shell();
  const roleSelect = required<HTMLSelectElement>(root, '#role');
  const userSelect = required<HTMLSelectElement>(root, '#user');
  const localeSelect = required<HTMLSelectElement>(root, '#locale');
  const themeSelect = required<HTMLSelectElement>(root, '#theme');
  const provider = required<KqProvider>(root, 'kq-provider');
  const page = required<HTMLElement>(root, '#page');
  const who = required<HTMLElement>(root, '#who');
  const signOutButton = required<HTMLButtonElement>(root, '#sign-out');
  const problem = required<HTMLElement>(root, '#sign-in-problem');
  let session: Session | undefined;

  const fillRoles = () => {
    const chosen = roleSelect.value;
    roleSelect.innerHTML = demoRoles
      .map(
        (role) => `<option value="${role}">${escapeHtml(roleLabel(role, portalLocale()))}</option>`,
      )
      .join('');
    if (chosen !== '') roleSelect.value = chosen;
  };
  const fillUsers = () => {
    const role = demoRoles.find((each) => each === roleSelect.value) ?? 'manager';
    userSelect.innerHTML = usersOf(role, config.directory)
      .map((user) => `<option value="${escapeHtml(user.key)}">${escapeHtml(user.label)}</option>`)
      .join('');
  };
  const showPage = () => {
    const id = pageOf(location.hash);
    for (const link of root.querySelectorAll<HTMLAnchorElement>('nav a'))
      link.toggleAttribute('aria-current', link.dataset['page'] === id);
    if (session === undefined) {
      page.innerHTML = '<p class="hint" data-text="signInFirst"></p>';
    } else {
      page.dataset['page'] = id;
      pages[id]({ session, config, container: page });
    }
    applyTexts(page);
  };
  const showSession = () => {
    provider.client = session?.client;
    signOutButton.hidden = session === undefined;
    who.textContent =
      session === undefined
        ? ''
        : `${t('signedInAs')}: ${roleLabel(session.me.principal.role, portalLocale())} · ${session.me.principal.userId} · ${session.me.scope}`;
  };
  const applyPreferences = (locale: PortalLocale, theme: string) => {
    setPortalLocale(locale);
    document.documentElement.lang = locale;
    document.documentElement.dataset['kqTheme'] = theme;
    localeSelect.value = locale;
    themeSelect.value = theme;
    localStorage.setItem(PREFERENCES_KEY, JSON.stringify({ locale, theme }));
    fillRoles();
    applyTexts(root);
    showSession();
  };

  applyPreferences(preferences.locale, preferences.theme);
  fillUsers();
  roleSelect.addEventListener('change', fillUsers);
  localeSelect.addEventListener('change', () =>
    applyPreferences(localeSelect.value === 'en' ? 'en' : 'zh-CN', themeSelect.value),
  );
  themeSelect.addEventListener('change', () =>
    applyPreferences(portalLocale(), themeSelect.value === 'dark' ? 'dark' : 'default'),
  );
  required<HTMLFormElement>(root, '#sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    const role = demoRoles.find((each) => each === roleSelect.value) ?? 'manager';
    const user = usersOf(role, config.directory).find((each) => each.key === userSelect.value);
    if (user === undefined) return;
    problem.textContent = '';
    signIn(config.apiUrl, user).then(
      (signedIn) => {
        session = signedIn;
        showSession();
        const target = `#/${landingPage(role)}`;
        if (location.hash === target) showPage();
        else location.hash = target;
      },
      (error: unknown) => {
        problem.textContent =
          t('serverDown') + (error instanceof Error ? error.message : String(error));
      },
    );
  });
  signOutButton.addEventListener('click', () => {
    signOut();
    session = undefined;
    showSession();
    showPage();
  });
  window.addEventListener('hashchange', showPage);

  session = await resumeSession(config.apiUrl);
  showSession();
  showPage();
  root.dataset['ready'] = 'true';
}

function readPreferences(): { locale: PortalLocale; theme: string } {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(PREFERENCES_KEY) ?? '{}');
    if (typeof stored === 'object' && stored !== null) {
      const { locale, theme } = stored as { locale?: unknown; theme?: unknown };
      return {
        locale: locale === 'en' ? 'en' : 'zh-CN',
        theme: theme === 'dark' ? 'dark' : 'default',
      };
    }
  } catch {
    // A corrupt preference falls back to the defaults below.
  }
  return { locale: 'zh-CN', theme: 'default' };
}

const root = document.getElementById('app');
if (root !== null) {
  start(root).catch((error: unknown) => {
    root.textContent = error instanceof Error ? error.message : String(error);
  });
}
